// Our own address bar above the remote page: the recipient always sees which site they
// are typing into (host in bold, https padlock), with back and reload.
import clsx from "clsx";
import { useTranslation } from "react-i18next";

export function AddressBar({
  url,
  loading,
  live,
  onNavigate,
}: {
  url: URL | null;
  loading: boolean;
  live: boolean;
  onNavigate: (action: "back" | "reload") => void;
}) {
  const { t } = useTranslation();
  const secure = url?.protocol === "https:";
  return (
    <div className="flex items-center gap-1 border-b border-slate-200 bg-slate-50 px-2 py-1.5">
      <button
        type="button"
        className="grid size-8 shrink-0 place-items-center rounded text-slate-700 hover:bg-slate-200 disabled:opacity-40"
        onClick={() => onNavigate("back")}
        disabled={!live}
        aria-label={t("signIn.back")}
        title={t("signIn.back")}
      >
        <svg viewBox="0 0 20 20" className="size-4" aria-hidden="true" fill="currentColor">
          <path d="M12.7 4.3a1 1 0 0 1 0 1.4L8.4 10l4.3 4.3a1 1 0 0 1-1.4 1.4l-5-5a1 1 0 0 1 0-1.4l5-5a1 1 0 0 1 1.4 0Z" />
        </svg>
      </button>
      <button
        type="button"
        className="grid size-8 shrink-0 place-items-center rounded text-slate-700 hover:bg-slate-200 disabled:opacity-40"
        onClick={() => onNavigate("reload")}
        disabled={!live}
        aria-label={t("signIn.reload")}
        title={t("signIn.reload")}
      >
        <svg
          viewBox="0 0 20 20"
          className={clsx("size-4", loading && "animate-spin")}
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M16 10a6 6 0 1 1-1.8-4.3M16 3v4h-4" strokeLinecap="round" />
        </svg>
      </button>
      <div className="flex min-w-0 flex-1 items-center gap-1.5 rounded-full border border-slate-200 bg-white px-3 py-1 text-sm">
        <span className="sr-only">{t("signIn.address")}: </span>
        {url ? (
          <>
            <span
              className={clsx("shrink-0", secure ? "text-green-700" : "text-slate-600")}
              title={secure ? t("signIn.secure") : t("signIn.notSecure")}
            >
              {secure ? (
                <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden="true">
                  <path d="M10 2a4 4 0 0 0-4 4v2H5a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V9a1 1 0 0 0-1-1h-1V6a4 4 0 0 0-4-4Zm-2 6V6a2 2 0 1 1 4 0v2H8Z" />
                </svg>
              ) : (
                <svg viewBox="0 0 20 20" className="size-4" fill="currentColor" aria-hidden="true">
                  <path d="M10 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm-1 4h2v5H9V6Zm0 7h2v2H9v-2Z" />
                </svg>
              )}
              <span className="sr-only">{secure ? t("signIn.secure") : t("signIn.notSecure")}</span>
            </span>
            <span className="truncate" data-testid="remote-url">
              <span className="font-medium text-slate-900">{url.host}</span>
              <span className="text-slate-600">{url.pathname === "/" ? "" : url.pathname}</span>
            </span>
          </>
        ) : (
          <span className="text-slate-600">…</span>
        )}
      </div>
    </div>
  );
}
