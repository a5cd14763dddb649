// After login and a language switch the app goes back where the user was, never to another site.
import { describe, expect, it } from "vitest";
import { safeRedirect } from "./redirect.ts";

describe("safeRedirect", () => {
  it("keeps paths of this site, with their query and fragment", () => {
    for (const to of ["/", "/cases", "/search?q=Pr%C3%BCfung&page=2", "/interviews/abc/transcript#t=12", "/cases?q=a b"]) expect(safeRedirect(to)).toBe(to);
  });

  it("refuses anything a browser would send elsewhere", () => {
    const hostile = [
      "//evil.example/phish",
      "/\\evil.example",
      "/\t/evil.example/phish", // browsers drop the tab: //evil.example
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/%09/evil.example".replace("%09", "\u0009"),
      "https://evil.example",
      "evil.example",
      "javascript:alert(1)",
      " /cases",
      "",
      null,
      42,
    ];
    for (const to of hostile) expect(safeRedirect(to, "/fallback"), JSON.stringify(to)).toBe("/fallback");
  });
});
