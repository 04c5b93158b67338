import { useQuery, useQueryClient } from "@tanstack/react-query";
import clsx from "clsx";
import { useState } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { signOut } from "../lib/auth";
import { isUnauthorized, useTRPC } from "../lib/trpc";

const NAV = [
  {
    heading: "Data Input",
    items: [
      { to: "/connections", label: "Connections" },
      { to: "/invitations", label: "Invitations" },
      { to: "/sites", label: "Sites" },
    ],
  },
  {
    heading: "Settings",
    items: [
      { to: "/settings/branding", label: "Branding" },
      { to: "/settings/embedding", label: "Embedding" },
      { to: "/settings/team", label: "Team" },
      { to: "/settings/utilities", label: "Utilities" },
    ],
  },
  {
    heading: "Developers",
    items: [
      { to: "/settings/api-keys", label: "API keys" },
      { to: "/settings/webhooks", label: "Webhooks" },
      { to: "/developers/test-emails", label: "Test emails" },
    ],
  },
] as const;

export function AppShell() {
  const trpc = useTRPC();
  const me = useQuery(trpc.admin.me.queryOptions());
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [menuOpen, setMenuOpen] = useState(false);

  if (me.isPending) {
    return (
      <div className="grid min-h-screen place-items-center" aria-busy="true">
        <p className="text-slate-500">Loading…</p>
      </div>
    );
  }
  if (me.error) {
    if (isUnauthorized(me.error)) {
      return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} replace />;
    }
    return (
      <div className="grid min-h-screen place-items-center p-6 text-center">
        <div>
          <p className="font-medium">We could not load your workspace.</p>
          <p className="text-slate-600">{me.error.message}</p>
          <button
            type="button"
            className="mt-4 rounded-md bg-brand px-4 py-2 text-white"
            onClick={() => me.refetch()}
          >
            Try again
          </button>
        </div>
      </div>
    );
  }

  async function onSignOut() {
    await signOut();
    queryClient.clear();
    await navigate("/sign-in", { replace: true });
  }

  const { user, company } = me.data;
  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_1fr]">
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 md:hidden">
        <span className="font-semibold">{company.displayName}</span>
        <button
          type="button"
          className="rounded-md border border-slate-300 px-3 py-1 text-sm"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          Menu
        </button>
      </header>
      <aside
        id="main-nav"
        className={clsx(
          "flex-col border-r border-slate-200 bg-white md:flex md:min-h-screen",
          menuOpen ? "flex" : "hidden",
        )}
      >
        <div className="hidden px-5 py-5 md:block">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Meterlink</p>
          <p className="truncate font-semibold">{company.displayName}</p>
        </div>
        <nav aria-label="Main" className="flex-1 px-3 pb-4">
          {NAV.map((group) => (
            <div key={group.heading} className="mt-4">
              <p className="px-2 text-xs font-semibold uppercase tracking-wide text-slate-500">
                {group.heading}
              </p>
              <ul className="mt-1 space-y-0.5">
                {group.items.map((item) => (
                  <li key={item.to}>
                    <NavLink
                      to={item.to}
                      onClick={() => setMenuOpen(false)}
                      className={({ isActive }) =>
                        clsx(
                          "block rounded-md px-2 py-1.5 text-sm",
                          isActive
                            ? "bg-brand/10 font-medium text-brand"
                            : "text-slate-700 hover:bg-slate-100",
                        )
                      }
                    >
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <div className="border-t border-slate-200 px-5 py-4 text-sm">
          <p className="truncate font-medium">{user.name}</p>
          <p className="truncate text-slate-500">{user.email}</p>
          <button
            type="button"
            onClick={onSignOut}
            className="mt-2 text-brand underline-offset-2 hover:underline"
          >
            Sign out
          </button>
        </div>
      </aside>
      <main className="min-w-0 p-4 md:p-8">
        <Outlet />
      </main>
    </div>
  );
}
