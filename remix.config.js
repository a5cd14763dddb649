/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*", "**/__*"],
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Generated Prisma clients are TypeScript inside app/, so they are bundled; the runtime stays external.
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
  },
};
