// Admin sign-in through better-auth's HTTP endpoints (same origin, httpOnly cookie).

export type TSignInResult = { ok: true } | { ok: false; message: string };

export async function signIn(email: string, password: string): Promise<TSignInResult> {
  let response: Response;
  try {
    response = await fetch("/api/auth/sign-in/email", {
      method: "POST",
      credentials: "include",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    return {
      ok: false,
      message: "We could not reach Meterlink. Check your connection and try again.",
    };
  }
  if (response.ok) return { ok: true };
  if (response.status === 429) {
    return { ok: false, message: "Too many attempts. Wait a minute, then try again." };
  }
  if (response.status === 401) {
    return { ok: false, message: "That email and password don't match. Check them and try again." };
  }
  return { ok: false, message: "Sign-in is unavailable right now. Please try again shortly." };
}

export async function signOut(): Promise<void> {
  await fetch("/api/auth/sign-out", {
    method: "POST",
    credentials: "include",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
}
