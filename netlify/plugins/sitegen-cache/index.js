// Keep sitegen's build cache and its last output between Netlify builds, so that a deploy after
// an edit makes and writes only what the edit changed (README, "Deploy (Netlify)").
//
// Both folders go together, and they are moved, not copied: sitegen trusts a file in public/ as
// its last build wrote it only while the file's size and mtime, to the nanosecond, are what the
// manifest in .sitegen-cache/ says. utils.cache copies by default, and a copy gets a new mtime,
// so every page would be made and written again. A cache from another version of the generator,
// of Python or of a library is recognised by sitegen itself and ignored: this plugin never judges.
// Saving waits for onEnd, after the deploy and every plugin's onSuccess have read public/; it runs
// after a failed build too, when the restored folders are still as restored (sitegen never leaves
// a half-written site), so one failure does not make the next build start cold.

const CACHE = ".sitegen-cache";

const folders = (constants) => [CACHE, constants.PUBLISH_DIR];

// Move (keeps mtimes); if moving fails, copy (keeps the cache, if not the mtimes).
async function moveOrCopy(action, folder, verb) {
  try {
    return await action(folder, { move: true });
  } catch (error) {
    console.log(`sitegen-cache: could not ${verb} ${folder} by moving it (${error.message}); copying it`);
    return action(folder);
  }
}

module.exports = {
  async onPreBuild({ constants, utils }) {
    const restored = [];
    for (const folder of folders(constants)) {
      try {
        if (await moveOrCopy(utils.cache.restore, folder, "restore")) {
          restored.push(folder);
        }
      } catch (error) {
        console.log(`sitegen-cache: could not restore ${folder} (${error.message}); building without it`);
      }
    }
    console.log(restored.length > 0
      ? `sitegen-cache: restored ${restored.join(" and ")} from the last build`
      : "sitegen-cache: nothing kept from an earlier build; this build makes every file");
  },

  async onEnd({ constants, utils }) {
    const saved = [];
    for (const folder of folders(constants)) {
      try {
        if (await moveOrCopy(utils.cache.save, folder, "save")) {
          saved.push(folder);
        }
      } catch (error) {
        console.log(`sitegen-cache: could not save ${folder} (${error.message}); the next build makes it again`);
      }
    }
    // On a laptop (netlify build, netlify deploy --build) the site must stay in public/:
    // a copy of it comes back, and the next build moves the cached original over it.
    if (constants.IS_LOCAL && saved.includes(constants.PUBLISH_DIR)) {
      await utils.cache.restore(constants.PUBLISH_DIR);
    }
    console.log(`sitegen-cache: kept ${saved.join(" and ") || "nothing"} for the next build`);
  },
};
