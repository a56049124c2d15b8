import { clamp } from "./lib/math.js";
import { shout } from "./lib/text.js";

console.log(clamp(-1, 0, 10), clamp(5, 0, 10), shout("ok"));
