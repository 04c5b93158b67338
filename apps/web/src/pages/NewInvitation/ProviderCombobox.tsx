// The wizard's provider field: a searchable combobox over the catalog and the company's
// own utilities (name, country), searched on the server as the admin types. Choosing one
// prefills its sign-in address; typing an address by hand still works for a utility
// that is in neither.
import { useQuery } from "@tanstack/react-query";
import clsx from "clsx";
import { useCombobox } from "downshift";
import { useId } from "react";
import { FieldError } from "../../components/Form";
import { type TRouterOutputs, useTRPC } from "../../lib/trpc";

type TProvider = TRouterOutputs["admin"]["providers"]["list"][number];

export function ProviderCombobox({
  value,
  chosenName,
  onChange,
  error,
}: {
  /** The typed or chosen address. */
  value: string;
  chosenName: string;
  onChange: (next: { url: string; name: string; country: string | null }) => void;
  error?: string;
}) {
  const trpc = useTRPC();
  const inputId = useId();
  const search = chosenName ? "" : value.trim();
  const found = useQuery(trpc.admin.providers.list.queryOptions({ query: search || null }));
  const items = found.data ?? [];
  const combobox = useCombobox<TProvider>({
    items,
    inputValue: chosenName || value,
    inputId,
    itemToString: (item) => item?.name ?? "",
    onInputValueChange: ({ inputValue, type }) => {
      if (type === useCombobox.stateChangeTypes.InputChange) {
        onChange({ url: inputValue, name: "", country: null });
      }
    },
    onSelectedItemChange: ({ selectedItem }) => {
      if (selectedItem) {
        onChange({
          url: selectedItem.loginUrl,
          name: selectedItem.name,
          country: selectedItem.country,
        });
      }
    },
  });

  return (
    <div className="relative">
      <label {...combobox.getLabelProps()} htmlFor={inputId} className="block text-sm font-medium">
        Utility
      </label>
      <input
        {...combobox.getInputProps()}
        placeholder="Search by name, or paste its https:// address"
        aria-invalid={error ? true : undefined}
        className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm aria-[invalid]:border-red-500"
      />
      <ul
        {...combobox.getMenuProps()}
        className={clsx(
          "absolute z-20 mt-1 max-h-64 w-full overflow-y-auto rounded-md border border-slate-200 bg-white text-sm shadow-lg",
          !(combobox.isOpen && items.length) && "hidden",
        )}
      >
        {combobox.isOpen
          ? items.map((item, index) => (
              <li
                key={item.id}
                {...combobox.getItemProps({ item, index })}
                className={clsx(
                  "flex justify-between gap-3 px-3 py-2",
                  combobox.highlightedIndex === index && "bg-brand/10",
                )}
              >
                <span className="font-medium">{item.name}</span>
                <span className="text-slate-500">
                  {item.country}
                  {item.kind === "company" ? " · yours" : ""}
                </span>
              </li>
            ))
          : null}
      </ul>
      {chosenName ? <p className="mt-1 truncate text-xs text-slate-500">{value}</p> : null}
      <FieldError message={error} />
    </div>
  );
}
