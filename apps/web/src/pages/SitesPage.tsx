// Data Input › Sites: the buildings recipients pick from. Search, add, edit, archive
// (a site is never deleted: connections keep it), and import a CSV (SitesImportDialog).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { DataTable } from "../components/DataTable";
import { buttonClass, Dialog } from "../components/Dialog";
import { Check, Input } from "../components/Form";
import { EmptyState, PageHeader } from "../components/PageHeader";
import { Skeleton } from "../components/Skeleton";
import { useToast } from "../components/Toast";
import { fieldErrorsOf } from "../lib/errors";
import { errorMessage, type TRouterOutputs, useTRPC } from "../lib/trpc";
import { SitesImportDialog } from "./SitesImportDialog";

type TSite = TRouterOutputs["admin"]["sites"]["list"][number];

export function SitesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [search, setSearch] = useState("");
  const [includeArchived, setIncludeArchived] = useState(false);
  const [editing, setEditing] = useState<TSite | "new" | null>(null);
  const [importing, setImporting] = useState(false);
  const sites = useQuery(trpc.admin.sites.list.queryOptions({ search, includeArchived }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.admin.sites.pathKey() });

  const archive = useMutation(
    trpc.admin.sites.archive.mutationOptions({
      onSuccess: (row) => {
        toast({
          title: `${row.name} archived`,
          description: "Recipients no longer see it; connections that cover it keep it.",
          tone: "success",
        });
        void invalidate();
      },
      onError: (error) =>
        toast({ title: "Not archived", description: errorMessage(error), tone: "error" }),
    }),
  );
  const restore = useMutation(
    trpc.admin.sites.restore.mutationOptions({
      onSuccess: (row) => {
        toast({ title: `${row.name} restored`, tone: "success" });
        void invalidate();
      },
      onError: (error) =>
        toast({ title: "Not restored", description: errorMessage(error), tone: "error" }),
    }),
  );

  return (
    <>
      <PageHeader
        title="Sites"
        description="The buildings your company manages. Recipients pick the sites their utility account covers."
        actions={
          <div className="flex gap-2">
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={() => setImporting(true)}
            >
              Import CSV
            </button>
            <button
              type="button"
              className={buttonClass("primary")}
              onClick={() => setEditing("new")}
            >
              Add site
            </button>
          </div>
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <div className="min-w-[16rem] flex-1">
          <Input
            label="Search"
            type="search"
            value={search}
            onChange={setSearch}
            placeholder="Name, address or reference"
          />
        </div>
        <Check label="Show archived" checked={includeArchived} onChange={setIncludeArchived} />
      </div>
      {sites.isPending ? (
        <Skeleton label="Loading sites" />
      ) : sites.error ? (
        <p role="alert" className="text-red-700">
          {errorMessage(sites.error)}
        </p>
      ) : sites.data.length === 0 ? (
        <EmptyState title={search ? "No site matches" : "No sites yet"}>
          {search ? null : (
            <p>Add your buildings one by one, or import them from a spreadsheet saved as CSV.</p>
          )}
        </EmptyState>
      ) : (
        <DataTable
          caption="Sites"
          minWidth="min-w-[40rem]"
          columns={[
            "Name",
            "Address",
            "Reference",
            "Connections",
            { label: "Actions", srOnly: true },
          ]}
        >
          {sites.data.map((row) => (
            <tr key={row.id} className="border-b border-slate-100 last:border-0">
              <td className="px-4 py-2 font-medium">
                {row.name}
                {row.archivedAt ? (
                  <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
                    Archived
                  </span>
                ) : null}
              </td>
              <td className="px-4 py-2">{row.address}</td>
              <td className="px-4 py-2">{row.reference ?? ""}</td>
              <td className="px-4 py-2">{row.connectionCount}</td>
              <td className="space-x-1 px-4 py-2 text-right whitespace-nowrap">
                <button
                  type="button"
                  className={buttonClass("ghost")}
                  onClick={() => setEditing(row)}
                  aria-label={`Edit ${row.name}`}
                >
                  Edit
                </button>
                {row.archivedAt ? (
                  <button
                    type="button"
                    className={buttonClass("ghost")}
                    onClick={() => restore.mutate({ id: row.id })}
                    aria-label={`Restore ${row.name}`}
                  >
                    Restore
                  </button>
                ) : (
                  <button
                    type="button"
                    className={buttonClass("ghost")}
                    onClick={() => archive.mutate({ id: row.id })}
                    aria-label={`Archive ${row.name}`}
                  >
                    Archive
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {editing ? (
        <SiteDialog
          site={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => void invalidate()}
        />
      ) : null}
      <SitesImportDialog
        open={importing}
        onOpenChange={setImporting}
        onImported={() => void invalidate()}
      />
    </>
  );
}

function SiteDialog({
  site,
  onClose,
  onSaved,
}: {
  site: TSite | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [name, setName] = useState(site?.name ?? "");
  const [address, setAddress] = useState(site?.address ?? "");
  const [reference, setReference] = useState(site?.reference ?? "");
  const options = {
    onSuccess: (row: { name: string }) => {
      toast({ title: site ? `${row.name} saved` : `${row.name} added`, tone: "success" });
      onSaved();
      onClose();
    },
  };
  const create = useMutation(trpc.admin.sites.create.mutationOptions(options));
  const update = useMutation(trpc.admin.sites.update.mutationOptions(options));
  const pending = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  const fields = error ? fieldErrorsOf(error) : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = { name, address, reference: reference || null };
    if (site) update.mutate({ id: site.id, ...values });
    else create.mutate(values);
  }

  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={site ? `Edit ${site.name}` : "Add a site"}
    >
      <form className="space-y-4" onSubmit={onSubmit} noValidate>
        <Input label="Name" value={name} onChange={setName} error={fields.name} maxLength={200} />
        <Input label="Address" value={address} onChange={setAddress} error={fields.address} />
        <Input
          label="Reference (optional)"
          value={reference}
          onChange={setReference}
          error={fields.reference}
          placeholder="Your own code for the building"
        />
        {error && Object.keys(fields).length === 0 ? (
          <p role="alert" className="text-sm text-red-700">
            {errorMessage(error)}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass("secondary")} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={buttonClass("primary")} disabled={pending}>
            {pending ? "Saving…" : site ? "Save" : "Add site"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
