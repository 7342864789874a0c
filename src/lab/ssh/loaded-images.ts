import type { Cleanup } from "../../util/cleanup.js";
import type { LabHost } from "../lab-host.js";
import type { Ledger } from "../ledger.js";
import { own } from "../owned.js";
import type { LoadedImage, SshLabHost } from "./ssh-lab-host.js";

/** How to take back an image netcheck loaded: remove it, or give the tag back to the image it named before. Pure. */
export function unloadCommand(img: LoadedImage): string[] {
  if (img.previous === undefined) return ["docker", "image", "rm", img.tag];
  return ["sh", "-c", `docker tag ${img.previous} ${img.tag} && docker image rm ${img.id}`];
}

/**
 * The probe image netcheck loaded on a user's host goes when the run ends
 * (ledgered under the host's name: `netcheck clean --hosts` finishes a killed
 * run). Owned first, so it is undone last, after every container that used it.
 * An image that was there before (the same id) is theirs and stays.
 */
export function ownLoadedImages(hosts: readonly LabHost[], cleanup: Cleanup, ledger: Ledger): void {
  for (const h of hosts) {
    const img = h.kind === "ssh" ? (h as SshLabHost).loadedProbeImage : undefined;
    if (img) own(h, cleanup, ledger, `probe image ${img.tag} loaded on ${h.name}`, unloadCommand(img));
  }
}
