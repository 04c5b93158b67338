// The live remote browser in e2e tests: a real browser worker joined to the stack's fleet,
// and the recipient's clicks on the streamed canvas mapped to the remote page's elements.
import pino from "pino";
import type { Page } from "playwright-core";
import { TEST_VAULT_PUBLIC_JWK } from "../../api/test/keys";
import { startWorker, type TWorker, type TWorkerOptions } from "../../browser-worker/src/server";

/**
 * A worker at `port` (listed in the stack's FLEET_WORKERS up front, as an orchestrator
 * would list it) that has sent its first heartbeat, so the fleet can place sessions on it.
 */
export async function startFleetWorker(options: {
  internalUrl: string | null;
  fleetToken: string;
  port: number;
  workerId: string;
  capacity?: number;
  egress: TWorkerOptions["egress"];
  trustedCertificateSpki?: string[];
}): Promise<TWorker> {
  if (!options.internalUrl) throw new Error("the stack has no internal listener");
  const worker = await startWorker({
    fleetToken: options.fleetToken,
    vaultPublicKey: TEST_VAULT_PUBLIC_JWK,
    egress: options.egress,
    capacity: options.capacity ?? 2,
    port: options.port,
    fleet: { apiUrl: options.internalUrl, workerId: options.workerId, version: "e2e" },
    logger: pino({ level: "silent" }),
    ...(options.trustedCertificateSpki
      ? { trustedCertificateSpki: options.trustedCertificateSpki }
      : {}),
  });
  await worker.beat();
  return worker;
}

/** Canvas helpers bound to a worker (a getter: tests start theirs in beforeAll). */
export function remoteOf(workerOf: () => TWorker) {
  /** Where the remote page's element is drawn on the recipient's page (page viewport px). */
  async function drawnBox(page: Page, loginSessionId: string, selector: string) {
    const remote = workerOf().inspect(loginSessionId)?.page;
    if (!remote) throw new Error("no remote page");
    const element = await remote.waitForSelector(selector, { visible: true, timeout: 10_000 });
    const box = await element?.boundingBox();
    const viewport = remote.viewport();
    if (!box || !viewport) throw new Error(`no box for ${selector}`);
    const canvas = await page.getByTestId("remote-canvas").boundingBox();
    if (!canvas) throw new Error("no canvas");
    // The frame is drawn "contain" in the canvas: same scale on both axes, centred.
    const scale = Math.min(canvas.width / viewport.width, canvas.height / viewport.height);
    const left = canvas.x + (canvas.width - viewport.width * scale) / 2;
    const top = canvas.y + (canvas.height - viewport.height * scale) / 2;
    return {
      x: left + box.x * scale,
      y: top + box.y * scale,
      width: box.width * scale,
      height: box.height * scale,
    };
  }

  /** Clicks the remote page's element by mapping its box onto the canvas. */
  async function clickRemote(page: Page, loginSessionId: string, selector: string) {
    const drawn = await drawnBox(page, loginSessionId, selector);
    await page.mouse.click(drawn.x + drawn.width / 2, drawn.y + drawn.height / 2);
  }

  return { drawnBox, clickRemote };
}
