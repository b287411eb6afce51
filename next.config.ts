import path from "node:path";
import type { NextConfig } from "next";

// next.config.ts is compiled to CommonJS by Next (its __dirname is the project folder).
const projectDir = typeof __dirname === "string" ? __dirname : process.cwd();

// Headers of every response. The Content-Security-Policy (HTML pages only) and Strict-Transport-Security
// (https only) are set per response by the production server, scripts/server.mjs: the policy lists the
// hashes of a cached page's inline scripts or the nonce of a streamed one (docs/architecture.md →
// Security headers). X-Frame-Options repeats the policy's frame-ancestors 'none' for old browsers.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  // The door scanner uses the camera of its own origin; nothing else is ever asked for.
  { key: "Permissions-Policy", value: "camera=(self), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // A self-contained server in .next/standalone (the Docker image: docs/deployment.md). scripts/build.mjs
  // completes it with public/, .next/static and the production server (scripts/lib/standalone.mjs).
  output: "standalone",
  // Next's file-system ISR cache, plus: a revalidation in one process reaches every other process (web
  // processes of scripts/cluster.mjs, other hosts) over PostgreSQL NOTIFY (lib/cache/cache-handler.mjs).
  cacheHandler: path.join(projectDir, "lib", "cache", "cache-handler.mjs"),
  // scripts/server.mjs compresses, after it has hashed the inline scripts of a page (Next's own
  // compression would hand it gzip).
  compress: false,
  // Server-only packages with native parts or dynamic requires stay outside the bundle.
  // /api/docs/scalar.js streams the API reference's bundle from node_modules: the standalone build carries it.
  outputFileTracingIncludes: { "/api/docs/scalar.js": ["./node_modules/@scalar/api-reference/dist/browser/standalone.js"] },
  serverExternalPackages: ["sharp", "pg", "@prisma/adapter-pg", "bcryptjs", "node-telegram-bot-api", "nodemailer"],
  // The build type-checks the app only; `npm test` runs tsc over everything, tests included — and so the
  // build `npm test` starts after its own tsc passed skips Next's second pass (AQ_BUILD_TYPECHECKED=1,
  // set by scripts/test.mjs only then: about a minute less on two cores). Every other build checks.
  typescript: { ignoreBuildErrors: process.env.AQ_BUILD_TYPECHECKED === "1", tsconfigPath: "tsconfig.build.json" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
