// Run one event handler of a local Netlify build plugin the way Netlify Build does: in the
// build folder (the current one), with utils.cache bound to a cache folder by Netlify's own
// @netlify/cache-utils, and the constants the plugin reads.
// Usage: node netlify_plugin.mjs PLUGIN.js EVENT CACHE_DIR IS_LOCAL(true|false)
import { createRequire } from "node:module";
import { bindOpts } from "@netlify/cache-utils";

const [pluginPath, event, cacheDir, isLocal] = process.argv.slice(2);
const plugin = createRequire(import.meta.url)(pluginPath);
await plugin[event]({
  constants: { PUBLISH_DIR: "public", CACHE_DIR: cacheDir, IS_LOCAL: isLocal === "true" },
  utils: { cache: bindOpts({ cacheDir }) },
});
