// Step 5: the link, the embed snippet, and where to go next.
import { useQuery } from "@tanstack/react-query";
import clsx from "clsx";
import { useId } from "react";
import { Link } from "react-router";
import { buttonClass } from "../../components/Dialog";
import { useToast } from "../../components/Toast";
import { copyText, embedSnippet } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import type { TCreated } from "./draft";

export function CreatedStep({ created, onAnother }: { created: TCreated; onAnother: () => void }) {
  const toast = useToast();
  const linkId = useId();
  const snippetId = useId();
  const trpc = useTRPC();
  const embedding = useQuery(trpc.admin.settings.embedding.get.queryOptions());
  const snippet = embedSnippet(created.url, embedding.data?.allowedOrigins);
  async function copy(text: string, what: string) {
    const ok = await copyText(text);
    toast(
      ok
        ? { title: `${what} copied`, tone: "success" }
        : { title: `Select the ${what.toLowerCase()} and copy it`, tone: "info" },
    );
  }
  return (
    <div className="space-y-5">
      <p className="text-slate-700">
        {created.emailsQueued
          ? `We are emailing it to ${created.emailsQueued} recipient${created.emailsQueued === 1 ? "" : "s"}. You can also share the link yourself.`
          : "Share this link with the recipient, or embed it in your own site."}
      </p>
      <div>
        <label htmlFor={linkId} className="block text-sm font-medium">
          Invitation link
        </label>
        <div className="mt-1 flex gap-2">
          <input
            id={linkId}
            readOnly
            value={created.url}
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
          />
          <button
            type="button"
            className={buttonClass("primary")}
            onClick={() => copy(created.url, "Link")}
          >
            Copy link
          </button>
        </div>
      </div>
      <div>
        <label htmlFor={snippetId} className="block text-sm font-medium">
          Embed snippet
        </label>
        <p className="text-sm text-slate-600">
          Paste it into your site. Add your site's origin under Settings › Embedding first.
        </p>
        <textarea
          id={snippetId}
          readOnly
          rows={3}
          value={snippet}
          onFocus={(e) => e.currentTarget.select()}
          className="mt-1 w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
        />
        <button
          type="button"
          className={clsx(buttonClass("secondary"), "mt-1")}
          onClick={() => copy(snippet, "Snippet")}
        >
          Copy snippet
        </button>
      </div>
      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
        <Link to={`/invitations/${created.id}?status=all`} className={buttonClass("secondary")}>
          View invitation
        </Link>
        <button type="button" className={buttonClass("ghost")} onClick={onAnother}>
          Create another
        </button>
      </div>
    </div>
  );
}
