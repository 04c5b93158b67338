// A list page's filters live in the address (`?q=`, `?page=`, …), so a filtered view
// survives a reload and can be shared. Shared by the Invitations and Connections pages.
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";

export function useListParams() {
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [searchText, setSearchText] = useState(search);

  // Typing filters after a short pause, so each keystroke is not a request.
  useEffect(() => {
    if (searchText.trim() === search) return;
    const timer = setTimeout(() => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (searchText.trim()) next.set("q", searchText.trim());
          else next.delete("q");
          next.delete("page");
          return next;
        },
        { replace: true },
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [searchText, search, setParams]);

  /** Sets one filter; any filter but the page itself starts again from page 1. */
  function setParam(name: string, value: string | null) {
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === null) next.delete(name);
      else next.set(name, value);
      if (name !== "page") next.delete("page");
      return next;
    });
  }

  return { params, search, page, searchText, setSearchText, setParam };
}
