import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <main className="grid min-h-screen place-items-center p-6 text-center">
      <div>
        <h1 className="text-2xl font-semibold">Page not found</h1>
        <p className="mt-2 text-slate-600">The address may be mistyped, or the page has moved.</p>
        <Link to="/" className="mt-4 inline-block text-brand underline">
          Go to your dashboard
        </Link>
      </div>
    </main>
  );
}
