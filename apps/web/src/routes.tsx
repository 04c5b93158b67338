import { createBrowserRouter, Navigate } from "react-router";
import { AppShell } from "./components/AppShell";
import { ApiKeysPage } from "./pages/ApiKeysPage";
import { BrandingPage } from "./pages/BrandingPage";
import { ConnectionDetailPage } from "./pages/ConnectionDetailPage";
import { ConnectionsPage } from "./pages/ConnectionsPage";
import { EmbeddingPage } from "./pages/EmbeddingPage";
import { InvitationsPage } from "./pages/InvitationsPage";
import { NewInvitationPage } from "./pages/NewInvitation/NewInvitationPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { SetPasswordPage } from "./pages/SetPasswordPage";
import { SetupPage } from "./pages/SetupPage";
import { SignInPage } from "./pages/SignInPage";
import { SitesPage } from "./pages/SitesPage";
import { TeamForgotPasswordPage } from "./pages/TeamForgotPasswordPage";
import { TeamJoinPage } from "./pages/TeamJoinPage";
import { TeamPage } from "./pages/TeamPage";
import { TestEmailsPage } from "./pages/TestEmailsPage";
import { UtilitiesPage } from "./pages/UtilitiesPage";
import { WebhooksPage } from "./pages/Webhooks/WebhooksPage";

export const router = createBrowserRouter([
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/setup", element: <SetupPage /> },
  { path: "/set-password", element: <SetPasswordPage /> },
  { path: "/join", element: <TeamJoinPage /> },
  { path: "/forgot-password", element: <TeamForgotPasswordPage /> },
  // The recipient flow: its own bundle, outside the admin shell.
  {
    path: "/p/i/:token/*",
    lazy: async () => ({ Component: (await import("./recipient/RecipientRoot")).RecipientRoot }),
  },
  // A recipient's live sign-in handed to a colleague (single-use link, 30 minutes).
  {
    path: "/p/h/:handoff",
    lazy: async () => ({ Component: (await import("./recipient/HandoffRoot")).HandoffRoot }),
  },
  {
    element: <AppShell />,
    children: [
      { index: true, element: <Navigate to="/connections" replace /> },
      { path: "/connections", element: <ConnectionsPage /> },
      { path: "/connections/:id", element: <ConnectionDetailPage /> },
      { path: "/invitations", element: <InvitationsPage /> },
      { path: "/sites", element: <SitesPage /> },
      { path: "/invitations/new", element: <NewInvitationPage /> },
      { path: "/invitations/:id", element: <InvitationsPage /> },
      { path: "/settings", element: <Navigate to="/settings/branding" replace /> },
      { path: "/settings/branding", element: <BrandingPage /> },
      { path: "/settings/api-keys", element: <ApiKeysPage /> },
      { path: "/settings/webhooks", element: <WebhooksPage /> },
      { path: "/settings/embedding", element: <EmbeddingPage /> },
      { path: "/settings/team", element: <TeamPage /> },
      { path: "/settings/utilities", element: <UtilitiesPage /> },
      { path: "/developers/test-emails", element: <TestEmailsPage /> },
    ],
  },
  { path: "*", element: <NotFoundPage /> },
]);
