// CSV import of sites: choose a file, see every row with its line and what is wrong,
// then import. The server parses the same text again on import and writes nothing while
// a line has an error, unless the admin chose to skip those lines.
import { useMutation } from "@tanstack/react-query";
import { type ChangeEvent, useId, useState } from "react";
import { buttonClass, Dialog } from "../components/Dialog";
import { Check } from "../components/Form";
import { useToast } from "../components/Toast";
import { errorMessage, type TRouterOutputs, useTRPC } from "../lib/trpc";

type TPreview = TRouterOutputs["admin"]["sites"]["previewImport"];

export function SitesImportDialog({
  open,
  onOpenChange,
  onImported,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onImported: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const fileId = useId();
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState("");
  const [preview, setPreview] = useState<TPreview | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const previewImport = useMutation(trpc.admin.sites.previewImport.mutationOptions());
  const importSites = useMutation(trpc.admin.sites.import.mutationOptions());

  function reset() {
    setCsv(null);
    setFileName("");
    setPreview(null);
    setSkipInvalid(false);
    previewImport.reset();
    importSites.reset();
  }

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    setFileName(file.name);
    setCsv(text);
    importSites.reset();
    setPreview(await previewImport.mutateAsync({ csv: text }).catch(() => null));
  }

  async function onImport() {
    if (csv === null) return;
    const done = await importSites.mutateAsync({ csv, skipInvalid }).catch(() => null);
    if (!done) return;
    toast({
      title: `${done.imported} ${done.imported === 1 ? "site" : "sites"} imported`,
      description: done.skipped ? `${done.skipped} lines with errors were left out.` : undefined,
      tone: "success",
    });
    onImported();
    reset();
    onOpenChange(false);
  }

  const canImport =
    preview !== null &&
    preview.fileErrors.length === 0 &&
    preview.validCount > 0 &&
    (preview.invalidCount === 0 || skipInvalid);

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) reset();
        onOpenChange(next);
      }}
      title="Import sites from a CSV file"
      description="The first line names the columns: name (required), address and reference. Nothing is saved until you import."
      footer={
        <>
          <button
            type="button"
            className={buttonClass("secondary")}
            onClick={() => {
              reset();
              onOpenChange(false);
            }}
          >
            Cancel
          </button>
          <button
            type="button"
            className={buttonClass("primary")}
            disabled={!canImport || importSites.isPending}
            onClick={() => void onImport()}
          >
            {importSites.isPending
              ? "Importing…"
              : preview?.validCount
                ? `Import ${preview.validCount} ${preview.validCount === 1 ? "site" : "sites"}`
                : "Import"}
          </button>
        </>
      }
    >
      <label htmlFor={fileId} className="block text-sm font-medium">
        CSV file
      </label>
      <input
        id={fileId}
        type="file"
        accept=".csv,text/csv"
        className="mt-1 block w-full text-sm"
        onChange={(event) => void onFile(event)}
      />
      {fileName ? <p className="mt-1 text-xs text-slate-500">{fileName}</p> : null}
      {previewImport.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {errorMessage(previewImport.error)}
        </p>
      ) : null}
      {preview ? (
        <div className="mt-4 space-y-3">
          {preview.fileErrors.map((message) => (
            <p
              key={message}
              role="alert"
              className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
            >
              {message}
            </p>
          ))}
          {preview.rows.length ? (
            <p className="text-sm" role="status">
              {preview.validCount} ready to import
              {preview.invalidCount
                ? `, ${preview.invalidCount} ${preview.invalidCount === 1 ? "line needs" : "lines need"} fixing`
                : ""}
              .
            </p>
          ) : null}
          <ul
            aria-label="Rows of the file"
            className="max-h-64 divide-y divide-slate-100 overflow-y-auto rounded-md border border-slate-200 text-sm"
          >
            {preview.rows.map((row) => (
              <li
                key={row.line}
                className={row.errors.length ? "bg-red-50 px-3 py-1.5" : "px-3 py-1.5"}
              >
                <span className="text-slate-500">Line {row.line}:</span>{" "}
                <span className="font-medium">{row.name || "(no name)"}</span>
                {row.address ? ` · ${row.address}` : ""}
                {row.reference ? ` · ${row.reference}` : ""}
                {row.errors.map((message) => (
                  <span key={message} className="block text-red-800">
                    {message}
                  </span>
                ))}
              </li>
            ))}
          </ul>
          {preview.invalidCount && preview.validCount ? (
            <Check
              label={`Skip the ${preview.invalidCount === 1 ? "line" : "lines"} with errors`}
              checked={skipInvalid}
              onChange={setSkipInvalid}
            />
          ) : null}
          {preview.invalidCount ? (
            <p className="text-sm text-slate-600">Or fix the file and choose it again.</p>
          ) : null}
        </div>
      ) : null}
      {importSites.error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {errorMessage(importSites.error)}
        </p>
      ) : null}
    </Dialog>
  );
}
