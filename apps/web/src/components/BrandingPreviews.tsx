// What the saved branding looks like where the admin cannot see it from here: the
// invitation email (the API's real template, in a sandboxed frame: its HTML runs nothing
// and reaches nothing of this page) and the recipient landing on a 390×844 phone.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../lib/trpc";

const PHONE = { width: 390, height: 844 };
/** The phone frame drawn at this scale, so it fits beside the form. */
const PHONE_SCALE = 0.6;

export function BrandingPreviews({ savedVersion }: { savedVersion: number }) {
  const trpc = useTRPC();
  const email = useQuery(trpc.admin.settings.branding.previewEmail.queryOptions());
  return (
    <section aria-labelledby="saved-previews-heading" className="mt-6 space-y-4">
      <div>
        <h2 id="saved-previews-heading" className="text-sm font-medium text-slate-600">
          Email and phone, as saved
        </h2>
        <p className="text-sm text-slate-500">
          These show what is saved: save to see a change here.
        </p>
      </div>
      <figure className="overflow-hidden rounded-xl border border-slate-200 bg-white">
        <figcaption className="border-b border-slate-100 px-4 py-2 text-sm">
          Invitation email
          {email.data ? (
            <span className="block text-xs text-slate-500">Subject: {email.data.subject}</span>
          ) : null}
        </figcaption>
        {email.error ? (
          <p role="alert" className="p-4 text-sm text-red-700">
            The email preview could not be loaded: {email.error.message}
          </p>
        ) : (
          <iframe
            title="Invitation email preview"
            // No allow-* token: the email's HTML gets an opaque origin and no script.
            sandbox=""
            srcDoc={email.data?.html ?? ""}
            className="h-[28rem] w-full"
          />
        )}
      </figure>
      <figure className="rounded-xl border border-slate-200 bg-white p-4">
        <figcaption className="mb-2 text-sm">Recipient page on a phone (390 × 844)</figcaption>
        <div
          className="overflow-hidden rounded-[1.5rem] border-4 border-slate-800"
          style={{ width: PHONE.width * PHONE_SCALE + 8, height: PHONE.height * PHONE_SCALE + 8 }}
        >
          <iframe
            key={savedVersion}
            title="Phone preview"
            src="/preview/recipient"
            width={PHONE.width}
            height={PHONE.height}
            style={{ transform: `scale(${PHONE_SCALE})`, transformOrigin: "top left" }}
          />
        </div>
      </figure>
    </section>
  );
}
