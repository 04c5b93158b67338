// The images' promises, checked without a Docker engine: non-root, pinned to the Node the
// project runs, reproducible installs from the lockfile, a health check, Chromium's
// sandbox kept on through a seccomp profile that allows exactly what the sandbox needs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Instruction } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { WORKER_DEFAULTS } from "../apps/browser-worker/src/env";
import { readComposeYaml, type TComposeService } from "./compose";
import {
  DOCKER_DIR,
  dockerfileStages,
  imageCommand,
  loadManifests,
  ROOT,
  type TStage,
} from "./testkit";

const stages = dockerfileStages;

const keyword = (stage: TStage, word: string) =>
  stage.instructions.filter((instruction) => instruction.getKeyword() === word);
const text = (instruction: Instruction) => instruction.getArgumentsContent() ?? "";
const finalStage = (file: string) => {
  const last = stages(file).at(-1);
  if (!last) throw new Error(`${file} has no stage`);
  return last;
};

/** ENV of the final stage, as name → value. */
function finalEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of keyword(finalStage(file), "ENV")) {
    const pairs = text(instruction).matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g);
    for (const [, name = "", value = ""] of pairs) env[name] = value.replace(/^"|"$/g, "");
  }
  return env;
}

const execForm = (file: string, word: "CMD" | "ENTRYPOINT") => imageCommand(file, word);

const DOCKERFILES = ["api.Dockerfile", "worker.Dockerfile"] as const;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

describe("base images", () => {
  it("are pinned to a digest on every FROM line of every Dockerfile, the same one for one tag", () => {
    const files = readdirSync(DOCKER_DIR).filter((name) => name.endsWith(".Dockerfile"));
    expect([...files].sort()).toEqual([...DOCKERFILES].sort());
    const digestOf = new Map<string, string>();
    for (const file of files) {
      const all = dockerfileStages(file);
      const names = new Set(all.map((stage) => stage.name));
      for (const { image } of all) {
        if (names.has(image)) continue;
        const [tag = "", digest = "", ...rest] = image.split("@");
        expect(rest, `${file}: ${image}`).toEqual([]);
        expect(digest, `${file}: FROM ${image} is not pinned to a digest`).toMatch(DIGEST);
        expect(digestOf.get(tag) ?? digest, `${file}: two digests for ${tag}`).toBe(digest);
        digestOf.set(tag, digest);
      }
    }
  });

  it("are pinned to a digest in deploy/compose.yaml for every image not built here", () => {
    const services = Object.entries(readComposeYaml().services as Record<string, TComposeService>);
    const pulled = services.filter(([, service]) => !/meterlink\//.test(service.image ?? ""));
    expect(pulled.map(([name]) => name).sort()).toEqual(["postgres", "proxy"]);
    for (const [name, service] of pulled)
      expect(service.image?.split("@")[1], `${name}: ${service.image}`).toMatch(DIGEST);
  });
});
const lock = z
  .object({
    packages: z.record(z.string(), z.object({ version: z.string().optional() })),
  })
  .parse(JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")));
const projectNode = lock.packages["node_modules/node"]?.version;

/** Every workspace's package.json path, from the root package.json globs. */
function workspaceManifests(): string[] {
  const root = z
    .object({ workspaces: z.array(z.string()) })
    .parse(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")));
  return root.workspaces
    .flatMap((glob) => {
      const parent = glob.replace(/\/\*$/, "");
      return readdirSync(join(ROOT, parent)).map((name) => `${parent}/${name}/package.json`);
    })
    .filter((path) => existsSync(join(ROOT, path)))
    .sort();
}

describe.each(DOCKERFILES)("%s", (file) => {
  const all = stages(file);
  const last = finalStage(file);
  const stageNames = new Set(all.map((stage) => stage.name).filter(Boolean));

  it("builds every stage on the Node version the project runs, pinned to a digest", () => {
    expect(projectNode).toMatch(/^\d+\.\d+\.\d+$/);
    for (const stage of all) {
      if (stageNames.has(stage.image)) continue;
      const [tag, digest] = stage.image.split("@");
      expect(tag).toBe(`node:${projectNode}-bookworm-slim`);
      expect(digest).toMatch(DIGEST);
    }
    expect(stageNames.has(last.image)).toBe(false);
  });

  it("runs as a numeric non-root user", () => {
    const users = keyword(last, "USER").map(text);
    const user = users.at(-1) ?? "";
    const [uid = "", gid = ""] = user.split(":");
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    if (gid) expect(Number(gid)).toBeGreaterThan(0);
    // Nothing after USER switches back to root.
    const afterUser = last.instructions.slice(
      last.instructions.findIndex((instruction) => instruction.getKeyword() === "USER"),
    );
    expect(afterUser.filter((i) => i.getKeyword() === "RUN")).toEqual([]);
  });

  it("installs from the lockfile with npm ci, after copying every workspace manifest", () => {
    const installs = all.flatMap((stage) => keyword(stage, "RUN").map(text));
    expect(installs.some((command) => /\bnpm ci\b/.test(command))).toBe(true);
    expect(installs.some((command) => /\bnpm (install|i)\b/.test(command))).toBe(false);
    const manifests = all.find((stage) => stage.name === "manifests");
    const copied = keyword(manifests ?? last, "COPY").flatMap((copy) =>
      copy
        .getArguments()
        .slice(0, -1)
        .map((arg) => arg.getValue()),
    );
    expect(copied).toContain("package-lock.json");
    expect(copied).toContain("package.json");
    expect(copied.filter((path) => path.endsWith("/package.json")).sort()).toEqual(
      workspaceManifests(),
    );
  });

  it("has a HEALTHCHECK on /healthz at the port it listens on", () => {
    const [check] = keyword(last, "HEALTHCHECK");
    expect(check).toBeDefined();
    const command = text(check as Instruction);
    expect(command).toMatch(/CMD \[/);
    expect(command).toContain("/healthz");
    const port = finalEnv(file).PORT;
    expect(command).toContain(`process.env.PORT||${port}`);
    expect(keyword(last, "EXPOSE").map(text)).toEqual([port]);
  });

  it("never turns Chromium's sandbox off", () => {
    for (const stage of all)
      for (const instruction of stage.instructions)
        expect(instruction.getRawArgumentsContent() ?? "").not.toMatch(/no-sandbox/);
  });

  it("runs its TypeScript entry with tsx, as a process that gets SIGTERM itself", () => {
    const command = execForm(file, "CMD");
    expect(command.slice(0, 3)).toEqual(["node", "--import", "tsx"]);
    expect(command[3]).toMatch(/^apps\/[a-z-]+\/src\/main\.ts$/);
    expect(existsSync(join(ROOT, command[3] ?? ""))).toBe(true);
  });

  it("keeps local data, installed modules and secrets out of the build context", () => {
    const ignore = readFileSync(join(DOCKER_DIR, `${file}.dockerignore`), "utf8").split("\n");
    for (const entry of ["**/node_modules", ".git", ".data", "**/.env", "**/.env.*"])
      expect(ignore).toContain(entry);
  });
});

describe("api image", () => {
  it("builds the SPA and serves it from WEB_DIST", () => {
    const web = stages("api.Dockerfile").find((stage) => stage.name === "web");
    expect(
      keyword(web ?? finalStage("api.Dockerfile"), "RUN")
        .map(text)
        .join("\n"),
    ).toMatch(/vite(\.js)? build/);
    const env = finalEnv("api.Dockerfile");
    expect(env.WEB_DIST).toBe("/app/apps/web/dist");
    expect(env.NODE_ENV).toBe("production");
    const app = stages("api.Dockerfile").find((stage) => stage.name === "app");
    const copies = keyword(app ?? finalStage("api.Dockerfile"), "COPY").map(text);
    expect(copies).toContain("/app/apps/web/dist apps/web/dist");
  });

  it("is the image the api and jobs Deployments run, on the same port", () => {
    const manifests = loadManifests();
    const apiConfig = manifests.one("v1/ConfigMap", "meterlink-api").data ?? {};
    expect(apiConfig.PORT).toBe(finalEnv("api.Dockerfile").PORT);
    expect(apiConfig.WEB_DIST).toBe(finalEnv("api.Dockerfile").WEB_DIST);
  });
});

describe("worker image", () => {
  const runs = stages("worker.Dockerfile")
    .flatMap((stage) => keyword(stage, "RUN"))
    .map(text)
    .join("\n");

  it("installs Debian's Chromium, fonts and an init that reaps Chromium's children", () => {
    expect(runs).toMatch(/apt-get install[\s\S]*\bchromium\b/);
    expect(runs).toMatch(/apt-get install[\s\S]*\bchromium-headless-shell\b/);
    expect(runs).toMatch(/\bfonts-liberation\b/);
    expect(runs).toMatch(/\bfonts-noto-color-emoji\b/);
    expect(runs).toMatch(/\btini\b/);
    expect(runs).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
    expect(execForm("worker.Dockerfile", "ENTRYPOINT")).toEqual(["/usr/bin/tini", "--"]);
  });

  it("points puppeteer at the worker's own default browser and listens where the Deployment expects", () => {
    const env = finalEnv("worker.Dockerfile");
    expect(env.PUPPETEER_EXECUTABLE_PATH).toBe(WORKER_DEFAULTS.executablePath);
    const config = loadManifests().one("v1/ConfigMap", "meterlink-worker").data ?? {};
    expect(config.PORT).toBe(env.PORT);
    expect(config.PUPPETEER_EXECUTABLE_PATH).toBe(env.PUPPETEER_EXECUTABLE_PATH);
    // Chromium writes its profile, caches and crash database under HOME: it must be on
    // the writable /tmp volume, since the root filesystem is read-only.
    expect(env.HOME).toMatch(/^\/tmp\//);
  });
});

describe("chromium-seccomp.json", () => {
  const ZRule = z.object({
    names: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(1),
    action: z.enum(["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_LOG"]),
    args: z
      .array(
        z.object({
          index: z.number().int().min(0).max(5),
          value: z.number().int().min(0),
          op: z.enum(["SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_MASKED_EQ"]),
        }),
      )
      .optional(),
    comment: z.string().optional(),
  });
  const ZProfile = z.object({
    defaultAction: z.enum(["SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS"]),
    defaultErrnoRet: z.number().int().optional(),
    architectures: z.array(z.string().startsWith("SCMP_ARCH_")).min(1),
    syscalls: z.array(ZRule).min(1),
  });
  const profile = ZProfile.parse(
    JSON.parse(readFileSync(join(DOCKER_DIR, "chromium-seccomp.json"), "utf8")),
  );
  /** Syscalls allowed whatever their arguments. */
  const allowed = new Set(
    profile.syscalls
      .filter((rule) => rule.action === "SCMP_ACT_ALLOW" && !rule.args?.length)
      .flatMap((rule) => rule.names),
  );

  it("denies by default on x86-64 and arm64", () => {
    expect(profile.defaultAction).not.toBe("SCMP_ACT_ALLOW");
    expect(profile.architectures).toEqual(
      expect.arrayContaining(["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"]),
    );
  });

  it("allows what Chromium's namespace sandbox and its seccomp-bpf layer need", () => {
    for (const name of ["clone", "clone3", "unshare", "chroot", "seccomp", "prctl"])
      expect(allowed, name).toContain(name);
  });

  it("allows what Node and Chromium need to run at all", () => {
    for (const name of [
      "execve",
      "mmap",
      "mprotect",
      "futex",
      "epoll_wait",
      "epoll_pwait",
      "openat",
      "read",
      "write",
      "memfd_create",
      "getrandom",
      "rt_sigaction",
      "wait4",
      "arch_prctl",
    ])
      expect(allowed, name).toContain(name);
    const socket = profile.syscalls.find((rule) => rule.names.includes("socket"));
    expect(socket?.action).toBe("SCMP_ACT_ALLOW");
  });

  it("still denies what would let a compromised process attack the kernel or host", () => {
    const everAllowed = new Set(
      profile.syscalls
        .filter((rule) => rule.action === "SCMP_ACT_ALLOW")
        .flatMap((rule) => rule.names),
    );
    for (const name of [
      "mount",
      "umount2",
      "pivot_root",
      "kexec_load",
      "init_module",
      "finit_module",
      "delete_module",
      "bpf",
      "perf_event_open",
      "keyctl",
      "add_key",
      "request_key",
      "reboot",
      "swapon",
      "open_by_handle_at",
      "io_uring_setup",
      "userfaultfd",
      "acct",
      "settimeofday",
    ])
      expect(everAllowed, name).not.toContain(name);
  });

  it("names each syscall once per unconditional rule set", () => {
    const unconditional = profile.syscalls
      .filter((rule) => !rule.args?.length)
      .flatMap((rule) => rule.names);
    expect(new Set(unconditional).size).toBe(unconditional.length);
  });
});
