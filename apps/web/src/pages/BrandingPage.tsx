import {
  BRAND_FONTS,
  fontFileProblem,
  logoProblem,
  ZUpdateBranding,
} from "@meterlink/shared/settings";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ChangeEvent,
  type FormEvent,
  type ReactNode,
  useEffect,
  useId,
  useState,
} from "react";
import { BrandingPreviews } from "../components/BrandingPreviews";
import { BrandPreview, draftFontUrl, type TBrandDraft } from "../components/BrandPreview";
import { buttonClass } from "../components/Dialog";
import { PageHeader } from "../components/PageHeader";
import { useToast } from "../components/Toast";
import { fieldErrorsOf } from "../lib/errors";
import { errorMessage, useTRPC } from "../lib/trpc";
import { contrastRatio, luminance } from "../recipient/brand";

/** WCAG 2 minimum for buttons, focus outlines and bars against the page (1.4.11). */
const UI_CONTRAST = 3;
/** WCAG 2 AA minimum for text on the brand colour (1.4.3). */
const TEXT_CONTRAST = 4.5;

/** What is hard to see with this primary colour, or null when it passes WCAG AA. */
export function contrastProblem(primary: string): string | null {
  const brand = luminance(primary);
  if (brand === null) return null;
  const onWhite = contrastRatio(brand, 1);
  const bestText = Math.max(onWhite, contrastRatio(brand, luminance("#0f172a") ?? 0));
  const ratio = (value: number) => `${value.toFixed(1)}:1`;
  if (onWhite < UI_CONTRAST) {
    return `${primary} has a contrast of ${ratio(onWhite)} against the white page: buttons, the progress bar and focus outlines in it are hard to see (WCAG asks for at least ${UI_CONTRAST}:1). Pick a darker colour, or save anyway.`;
  }
  if (bestText < TEXT_CONTRAST) {
    return `Text on ${primary} reaches only ${ratio(bestText)} (WCAG asks for ${TEXT_CONTRAST}:1): button labels will be hard to read. Pick a darker or lighter colour, or save anyway.`;
  }
  return null;
}

export function BrandingPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const branding = useQuery(trpc.admin.settings.branding.get.queryOptions());
  const [draft, setDraft] = useState<TBrandDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  /** The colour whose low contrast the admin was warned about, and chose to keep. */
  const [contrastWarning, setContrastWarning] = useState<string | null>(null);
  /** Bumped on each save, so the previews of the saved branding reload. */
  const [savedVersion, setSavedVersion] = useState(0);
  const ids = {
    name: useId(),
    logo: useId(),
    logoUrl: useId(),
    primary: useId(),
    primaryHex: useId(),
    accent: useId(),
    accentHex: useId(),
    font: useId(),
    fontFile: useId(),
    white: useId(),
  };

  useEffect(() => {
    if (branding.data && !draft) setDraft(branding.data);
  }, [branding.data, draft]);

  const save = useMutation(
    trpc.admin.settings.branding.update.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.admin.settings.branding.get.queryKey(), saved);
        setDraft(saved);
        setSavedVersion((version) => version + 1);
        void queryClient.invalidateQueries(trpc.admin.settings.branding.previewEmail.queryFilter());
        toast({
          title: "Branding saved",
          description: "Recipients see it from now on.",
          tone: "success",
        });
      },
      onError: (error) => {
        setErrors(fieldErrorsOf(error));
        toast({ title: "Branding not saved", description: errorMessage(error), tone: "error" });
      },
      // The shell shows the company name: refresh it once the server has the new one.
      onSettled: () => queryClient.invalidateQueries(trpc.admin.me.queryFilter()),
    }),
  );

  if (branding.isPending || !draft) {
    return (
      <>
        <PageHeader
          title="Branding"
          description="How your company appears on recipient pages and emails."
        />
        {branding.error ? (
          <p role="alert" className="text-red-700">
            {branding.error.message}
          </p>
        ) : (
          <div
            className="grid gap-6 lg:grid-cols-2"
            role="status"
            aria-busy="true"
            aria-label="Loading branding"
          >
            <div className="h-96 animate-pulse rounded-xl bg-slate-200" />
            <div className="h-64 animate-pulse rounded-xl bg-slate-200" />
          </div>
        )}
      </>
    );
  }

  function update<K extends keyof TBrandDraft>(key: K, value: TBrandDraft[K]) {
    setDraft((d) => (d ? { ...d, [key]: value } : d));
    setErrors((e) => {
      const { [key]: _dropped, ...rest } = e;
      return rest;
    });
  }

  function onLogoFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const value = String(reader.result);
      const problem = logoProblem(value);
      if (problem) setErrors((e) => ({ ...e, logoUrl: problem }));
      else update("logoUrl", value);
    };
    reader.readAsDataURL(file);
    event.target.value = "";
  }

  function onFontFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      // Browsers label .woff2 files inconsistently (font/woff2, application/octet-stream or
      // nothing): the type is ours to state, and the content is what gets checked.
      const value = String(reader.result).replace(
        /^data:[^,]*?;base64,/,
        "data:font/woff2;base64,",
      );
      const problem = fontFileProblem(value);
      if (problem) setErrors((e) => ({ ...e, fontFile: problem }));
      else update("fontFile", value);
    };
    reader.readAsDataURL(file);
    event.target.value = "";
  }

  function submit(acceptLowContrast: boolean) {
    if (!draft) return;
    const parsed = ZUpdateBranding.safeParse(draft);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])));
      return;
    }
    // Warned once per colour, before saving: recipients would struggle to read it.
    const problem = contrastProblem(parsed.data.primaryColor);
    if (problem && !acceptLowContrast) {
      setContrastWarning(problem);
      return;
    }
    setContrastWarning(null);
    save.mutate(parsed.data);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit(false);
  }

  const dirty = JSON.stringify(draft) !== JSON.stringify(branding.data);
  const isDataLogo = draft.logoUrl?.startsWith("data:") ?? false;

  return (
    <>
      <PageHeader
        title="Branding"
        description="How your company appears on recipient pages and emails."
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <form
          onSubmit={onSubmit}
          noValidate
          className="space-y-5 rounded-xl border border-slate-200 bg-white p-5"
        >
          <Field id={ids.name} label="Display name" error={errors.displayName}>
            <input
              id={ids.name}
              value={draft.displayName}
              onChange={(e) => update("displayName", e.target.value)}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            />
          </Field>

          <fieldset>
            <legend className="text-sm font-medium">Logo</legend>
            <p className="text-sm text-slate-600">
              PNG, JPEG or SVG up to 200 KB, or an https:// address.
            </p>
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <label
                htmlFor={ids.logo}
                className={`${buttonClass("secondary")} cursor-pointer focus-within:outline-2`}
              >
                Upload logo
                <input
                  id={ids.logo}
                  type="file"
                  accept="image/png,image/jpeg,image/svg+xml"
                  onChange={onLogoFile}
                  className="sr-only"
                />
              </label>
              {draft.logoUrl ? (
                <button
                  type="button"
                  className={buttonClass("ghost")}
                  onClick={() => update("logoUrl", null)}
                >
                  Remove logo
                </button>
              ) : null}
            </div>
            <label htmlFor={ids.logoUrl} className="mt-3 block text-sm">
              Or logo address
            </label>
            <input
              id={ids.logoUrl}
              type="url"
              placeholder="https://"
              value={isDataLogo ? "" : (draft.logoUrl ?? "")}
              disabled={isDataLogo}
              onChange={(e) => update("logoUrl", e.target.value || null)}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm disabled:bg-slate-100"
            />
            {isDataLogo ? (
              <p className="mt-1 text-xs text-slate-500">Using the uploaded image.</p>
            ) : null}
            {errors.logoUrl ? <p className="mt-1 text-sm text-red-700">{errors.logoUrl}</p> : null}
          </fieldset>

          <div className="grid gap-4 sm:grid-cols-2">
            <ColorField
              label="Primary colour"
              pickerId={ids.primary}
              hexId={ids.primaryHex}
              value={draft.primaryColor}
              onChange={(v) => {
                update("primaryColor", v);
                setContrastWarning(null);
              }}
              error={errors.primaryColor}
            />
            <ColorField
              label="Accent colour"
              pickerId={ids.accent}
              hexId={ids.accentHex}
              value={draft.accentColor}
              onChange={(v) => update("accentColor", v)}
              error={errors.accentColor}
            />
          </div>

          <Field id={ids.font} label="Font" error={errors.font}>
            <select
              id={ids.font}
              value={draft.font}
              onChange={(e) => update("font", e.target.value)}
              className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            >
              {Object.entries(BRAND_FONTS).map(([id, font]) => (
                <option key={id} value={id}>
                  {font.label}
                </option>
              ))}
            </select>
          </Field>

          <fieldset>
            <legend className="text-sm font-medium">Your own font</legend>
            <p className="text-sm text-slate-600">
              A WOFF2 file up to 512 KB, used on recipient pages before the font above.
            </p>
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <label
                htmlFor={ids.fontFile}
                className={`${buttonClass("secondary")} cursor-pointer focus-within:outline-2`}
              >
                Upload font
                <input
                  id={ids.fontFile}
                  type="file"
                  accept=".woff2,font/woff2"
                  onChange={onFontFile}
                  className="sr-only"
                />
              </label>
              {draftFontUrl(draft) ? (
                <button
                  type="button"
                  className={buttonClass("ghost")}
                  onClick={() => update("fontFile", null)}
                >
                  Remove font
                </button>
              ) : null}
            </div>
            {draftFontUrl(draft) ? (
              <p className="mt-1 text-xs text-slate-500">
                {draft.fontFile ? "New font ready: save to use it." : "Using your uploaded font."}
              </p>
            ) : null}
            {errors.fontFile ? (
              <p className="mt-1 text-sm text-red-700">{errors.fontFile}</p>
            ) : null}
          </fieldset>

          <div className="flex items-start gap-3">
            <input
              id={ids.white}
              type="checkbox"
              checked={draft.whiteLabel}
              onChange={(e) => update("whiteLabel", e.target.checked)}
              className="mt-1"
              aria-describedby={`${ids.white}-hint`}
            />
            <div>
              <label htmlFor={ids.white} className="text-sm font-medium">
                White-label
              </label>
              <p id={`${ids.white}-hint`} className="text-sm text-slate-600">
                Hide the Meterlink name from recipient pages and emails.
              </p>
            </div>
          </div>

          {contrastWarning ? (
            <div
              role="alert"
              className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
            >
              <p className="font-medium">Low contrast</p>
              <p>{contrastWarning}</p>
              <button
                type="button"
                className={`${buttonClass("secondary")} mt-2`}
                onClick={() => submit(true)}
              >
                Save anyway
              </button>
            </div>
          ) : null}

          <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
            <button
              type="submit"
              className={buttonClass("primary")}
              disabled={save.isPending || !dirty}
            >
              {save.isPending ? "Saving…" : "Save branding"}
            </button>
            <button
              type="button"
              className={buttonClass("ghost")}
              disabled={!dirty}
              onClick={() => {
                setDraft(branding.data ?? null);
                setErrors({});
              }}
            >
              Discard changes
            </button>
          </div>
        </form>
        <section aria-labelledby="preview-heading" className="lg:sticky lg:top-8">
          <h2 id="preview-heading" className="mb-2 text-sm font-medium text-slate-600">
            Live preview
          </h2>
          <BrandPreview brand={draft} />
          <BrandingPreviews savedVersion={savedVersion} />
        </section>
      </div>
    </>
  );
}

function Field({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {error ? <p className="mt-1 text-sm text-red-700">{error}</p> : null}
    </div>
  );
}

function ColorField({
  label,
  pickerId,
  hexId,
  value,
  onChange,
  error,
}: {
  label: string;
  pickerId: string;
  hexId: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const valid = /^#[0-9a-f]{6}$/i.test(value);
  return (
    <fieldset>
      <legend className="text-sm font-medium">{label}</legend>
      <div className="mt-1 flex items-center gap-2">
        <label htmlFor={pickerId} className="sr-only">
          {label} picker
        </label>
        <input
          id={pickerId}
          type="color"
          value={valid ? value : "#000000"}
          onChange={(e) => onChange(e.target.value)}
          className="h-9 w-12 cursor-pointer rounded border border-slate-300 bg-white"
        />
        <label htmlFor={hexId} className="sr-only">
          {label} hex
        </label>
        <input
          id={hexId}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className="w-28 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
        />
      </div>
      {error ? <p className="mt-1 text-sm text-red-700">{error}</p> : null}
    </fieldset>
  );
}
