// Details that identify a person only in combination (a town, a region, a profession, the country of origin, a
// child's school year, the size of the place): proposed with a generalisation that still reads as German where it
// stands, on the fixtures' own sentences (../shared/fixtures/interviews), and not read into ordinary words. The
// replaced text is what an export writes and what a narrative shows once every proposal is accepted.
import fs from "node:fs";
import path from "node:path";
import { detect, type DetectContext } from "../../app/narratives/redaction/detect.ts";
import { learnNames } from "../../app/narratives/redaction/names.ts";
import { replaceIdentifying } from "../../app/narratives/redaction/replace.ts";

const DIR = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "fixtures", "interviews");
const YAML = fs.readFileSync(path.resolve(DIR, "..", "..", "domain", "municipalities.yaml"), "utf8");
const DISTRICT = [...YAML.matchAll(/name: "([^"]+)", type: "([^"]+)", population: (\d+)/g)].map((m) => ({ name: m[1]!, type: m[2]!, population: Number(m[3]) }));
const fixture = (n: number) => fs.readFileSync(path.join(DIR, `int-0${n}.txt`), "utf8");
const ctx = (corpus = ""): DetectContext => ({ identity: [], municipalities: DISTRICT, lexicon: learnNames([corpus]), manual: [] });

/** The sentence with every proposal accepted as suggested; the sentence must be in the fixture (or be given). */
function replaced(n: number | null, sentence: string): string {
  if (n !== null) expect(fixture(n)).toContain(sentence);
  return replaceIdentifying(sentence, ctx(n === null ? sentence : fixture(n))).text;
}
const found = (text: string) => detect(text, ctx(text)).map((h) => [h.category, h.text]);

describe("places", () => {
  it("proposes every municipality of the district, a town as [Stadt im Landkreis], with regions of the district", () => {
    expect(replaced(1, "Man hat uns nach Fröhnd geschickt, in eine kleine Unterkunft über dem alten Gasthaus.")).toBe("Man hat uns nach [Gemeinde im Landkreis] geschickt, in eine kleine Unterkunft über dem alten Gasthaus.");
    expect(replaced(1, "der Bus fährt selten, und der Deutschkurs war in Schopfheim.")).toBe("der Bus fährt selten, und der Deutschkurs war in [Stadt im Landkreis].");
    expect(replaced(1, "das ist das beste Essen im ganzen Wiesental.")).toBe("das ist das beste Essen im ganzen [Tal im Landkreis].");
    expect(replaced(1, "Zuerst den Integrationskurs in Schopfheim, dann B2 in Lörrach,")).toBe("Zuerst den Integrationskurs in [Stadt im Landkreis], dann B2 in [Stadt im Landkreis],");
    // A municipality that is a Gemeinde, not a town, keeps the Gemeinde wording even when it is large.
    expect(replaced(null, "Wir wohnen jetzt in Grenzach-Wyhlen.")).toBe("Wir wohnen jetzt in [Gemeinde im Landkreis].");
    expect(found("Sie arbeitet in Basel, er pendelt nach Freiburg.")).toEqual([
      ["place_outside", "Basel"],
      ["place_outside", "Freiburg"],
    ]);
  });

  it("finds a town in its derived forms and a region's adjective", () => {
    expect(found("Die Lörracher Tafel hilft, die Schopfheimerin auch. Markgräfler Wein aus dem Markgräflerland.")).toEqual([
      ["municipality", "Lörracher"],
      ["municipality", "Schopfheimerin"],
      ["region", "Markgräfler"],
      ["region", "Markgräflerland"],
    ]);
  });

  it("reads no place into ordinary words", () => {
    for (const text of [
      "Auf den Wiesen und an der Wiese spielen die Kinder.",
      "Karim geht auf die Schule am Wiesenufer.",
      "Die Jungen haben mit Steinen geworfen, die Hasel blüht schon.",
      "Sie hat sich zur Wehr gesetzt.",
      "Wir sind in Karlsruhe angekommen.",
    ]) {
      expect(found(text).filter(([c]) => ["municipality", "municipality_small", "region", "place_outside"].includes(c!)), text).toEqual([]);
    }
    // The same names after a word that introduces a place are the municipalities.
    expect(found("Er wohnt in Steinen, sie kommt aus Hasel.")).toEqual([
      ["municipality", "Steinen"],
      ["municipality_small", "Hasel"],
    ]);
  });
});

describe("descriptors", () => {
  it("generalises occupations to their field, the article made to agree", () => {
    expect(replaced(1, "Sie haben ja einen Abschluss als Apothekerin.")).toBe("Sie haben ja einen Abschluss als [Fachkraft im Gesundheitswesen].");
    expect(replaced(1, "Hier hat Samer zuerst keine Stelle gefunden, er ist Bauingenieur, auch bei ihm ist es schwer mit der Anerkennung.")).toBe(
      "Hier hat [Name] zuerst keine Stelle gefunden, er ist [Fachkraft im technischen Bereich], auch bei ihm ist es schwer mit der Anerkennung.",
    );
    expect(replaced(1, "Offiziell bin ich pharmazeutische Hilfskraft.")).toBe("Offiziell bin ich medizinische Hilfskraft.");
    expect(replaced(1, "Ich habe in Damaskus Pharmazie studiert, fünf Jahre, und danach habe ich sieben Jahre in einer Apotheke in Homs gearbeitet")).toBe(
      "Ich habe in [Stadt im Herkunftsland] [Fach im Gesundheitswesen] studiert, fünf Jahre, und danach habe ich sieben Jahre in einer [Arbeitsstelle im Gesundheitswesen] in [Stadt im Herkunftsland] gearbeitet",
    );
    expect(replaced(null, "Ein Bauingenieur kam dazu, dem Lehrer half eine Lehrerin, die Apotheker streikten.")).toBe(
      "Eine [Fachkraft im technischen Bereich] kam dazu, der [Fachkraft im Bildungsbereich] half eine [Fachkraft im Bildungsbereich], die [Fachkräfte im Gesundheitswesen] streikten.",
    );
  });

  it("replaces the country of origin and nationality by [Herkunftsland], in every case", () => {
    expect(replaced(1, "In Syrien haben wir beide gearbeitet, aber zu Hause war alles meine Aufgabe.")).toBe("In [Herkunftsland] haben wir beide gearbeitet, aber zu Hause war alles meine Aufgabe.");
    expect(replaced(null, "Sie kam aus der Ukraine, er lebte im Irak und in der Ukraine, dann ging er in den Irak.")).toBe(
      "Sie kam aus dem [Herkunftsland], er lebte im [Herkunftsland] und im [Herkunftsland], dann ging er in das [Herkunftsland].",
    );
    expect(replaced(null, "Sie ist Syrerin, ihr Mann ein Syrer. Ihr syrischer Abschluss, die syrischen Behörden.")).toBe(
      "Sie ist [Person aus dem Herkunftsland], ihr Mann eine [Person aus dem Herkunftsland]. Ihr ausländischer Abschluss, die ausländischen Behörden.",
    );
  });

  it("replaces English countries of origin and nationalities by [country of origin], a shared name by its sentence", () => {
    expect(replaced(null, "I am from Syria. We fled Afghanistan in 2015, my husband came from Iraq.")).toBe(
      "I am from [country of origin]. We fled [country of origin] in 2015, my husband came from [country of origin].",
    );
    expect(replaced(null, "Wir sind aus Afghanistan geflohen, er kam aus dem Iran.")).toBe("Wir sind aus [Herkunftsland] geflohen, er kam aus dem [Herkunftsland].");
    expect(replaced(null, "She is Syrian. An Afghan family lives next door, an Iraqi came too; two Ukrainians work with us.")).toBe(
      "She is foreign. A foreign family lives next door, a [person from the country of origin] came too; two [people from the country of origin] work with us.",
    );
    // the rare ones keep their region, in English
    expect(replaced(null, "My home country, Eritrea, is far away; an Eritrean family from Ethiopia speaks Tigrinya.")).toBe(
      "My home country, [country in East Africa], is far away; an East African family from [country in East Africa] speaks [East African language].",
    );
    expect(replaced(null, "Two Somalis and a Chechen family live here; the Tajik neighbours and a Bangladeshi student help.")).toBe(
      "Two East Africans and a North Caucasian family live here; the Central Asian neighbours and a South Asian student help.",
    );
    // a language name English also uses for the people is the people's region there, with the article fitted
    // (one proposal per spelling in a text: the language apart)
    expect(replaced(null, "A Somali woman helped her, like a Tamil family next door.")).toBe("An East African woman helped her, like a South Asian family next door.");
    expect(replaced(null, "She is Somali.")).toBe("She is East African.");
    expect(replaced(null, "At home we speak Somali.")).toBe("At home we speak [East African language].");
    expect(replaced(null, "Er kam aus Georgien, seine Frau ist Georgierin und spricht Georgisch; zwei Georgians from our course.")).toBe(
      "Er kam aus [Land im Kaukasus], seine Frau ist Kaukasierin und spricht [kaukasische Sprache]; zwei South Caucasians from our course.",
    );
    expect(replaced(null, "We lived in Aleppo.")).toBe("We lived in [city in the country of origin].");
    expect(replaced(null, "Wir haben in Aleppo gelebt, dann in Eritrea.")).toBe("Wir haben in [Stadt im Herkunftsland] gelebt, dann in [Land in Ostafrika].");
  });

  it("leaves first names and other words that are also countries alone in English", () => {
    for (const text of ["Jordan told me about the camp.", "Chad is my neighbour, Georgia my teacher.", "We cooked a turkey for the Syrians' party."]) {
      expect(found(text).filter(([c]) => ["nationality", "origin", "transit"].includes(c!)), text).toEqual(text.includes("Syrians") ? [["nationality", "Syrians"]] : []);
    }
  });

  it("reduces a school year to the stage, which keeps the article", () => {
    expect(replaced(1, "Karim geht jetzt in die siebte Klasse der Gemeinschaftsschule Am Wiesenufer.")).toBe("[Name] geht jetzt in die Mittelstufe der [Schule].");
    expect(replaced(null, "Sie ist in der 7. Klasse, ihr Bruder in Klasse 2 und die Große in der elften Klasse.")).toBe("Sie ist in der Mittelstufe, ihr Bruder in der Grundschulstufe und die Große in der Oberstufe.");
  });

  it("drops what says how small the place is, not the noun and its article", () => {
    expect(replaced(null, "Zuerst lebte die Familie in einer sehr kleinen Gemeinde, in einem Dorf mit nur 300 Einwohnern.")).toBe("Zuerst lebte die Familie in einer Gemeinde, in einem Dorf.");
    expect(replaced(1, "vielleicht in einem kleinen Ort, wo es keine Apotheke mehr gibt.")).toBe("vielleicht in einem Ort, wo es keine [Arbeitsstelle im Gesundheitswesen] mehr gibt.");
  });

  it("reads no descriptor into ordinary words", () => {
    for (const text of [
      "Wir haben in unserer kleinen Küche gekocht, die Kinder sind klein.",
      "Der Arztbrief kam, die Lehrerzimmer sind voll, eine Klassenfahrt nach Syrienhausen gibt es nicht.",
      "Das war Klasse! Er ist der beste Koch.",
      "Wir sprechen Arabisch.",
    ]) {
      expect(found(text).filter(([c]) => ["occupation", "nationality", "school_grade", "place_size"].includes(c!)), text).toEqual([]);
    }
  });
});

// A country on the way is no country of origin (ADR 0019, amended): "[Transitland]" where the words around say it
// was on the route, "[transit country]" in English; the country of origin stays "[Herkunftsland]"; Germany and the
// district's neighbours across the Rhine are never a transit country.
describe("transit countries", () => {
  it("proposes route countries as [Transitland] in the fixtures' route sentences, the country of origin stays", () => {
    expect(replaced(1, "Wir sind über den Libanon in die Türkei, dann mit dem Schlauchboot nach Lesbos und über die Balkanroute weiter.")).toBe(
      "Wir sind über das [Transitland] in das [Transitland], dann mit dem Schlauchboot nach Lesbos und über die Balkanroute weiter.",
    );
    // "Über Libyen möchte ich nicht sprechen" is "about", but the same country was on the way a sentence before.
    expect(replaced(2, "Zu Fuß über die Grenze in den Sudan, dann nach Khartum, und dann mit einem Lastwagen durch die Wüste nach Libyen. (...) Über Libyen möchte ich nicht so viel sprechen.")).toBe(
      "Zu Fuß über die Grenze in das [Transitland], dann nach Khartum, und dann mit einem Lastwagen durch die Wüste nach [Transitland]. (...) Über [Transitland] möchte ich nicht so viel sprechen.",
    );
    expect(replaced(3, "Sie ist dann mit den Kindern allein weiter, zu Fuß über die Berge in die Türkei.")).toBe("Sie ist dann mit den Kindern allein weiter, zu Fuß über die Berge in das [Transitland].");
    expect(replaced(null, "Wir sind über die Türkei und Griechenland nach Deutschland gekommen.")).toBe("Wir sind über das [Transitland] und [Transitland] nach Deutschland gekommen.");
    expect(replaced(null, "Wir haben drei Jahre in einem Lager in Jordanien gelebt, dann in einem Lager in der Türkei.")).toBe(
      "Wir haben drei Jahre in einem Lager in [Transitland] gelebt, dann in einem Lager im [Transitland].",
    );
    expect(replaced(null, "Wir kommen aus Afghanistan und sind über den Iran, Bulgarien, Serbien und Ungarn gegangen. Italien war nur eine Zwischenstation.")).toBe(
      "Wir kommen aus [Herkunftsland] und sind über das [Transitland], [Transitland], [Transitland] und [Transitland] gegangen. [Transitland] war nur eine Zwischenstation.",
    );
    expect(found("Auf der Balkanroute durch Serbien, Zwischenstation in Ungarn.")).toEqual([
      ["transit", "Serbien"],
      ["transit", "Ungarn"],
    ]);
  });

  it("proposes [transit country] in English sentences", () => {
    expect(replaced(null, "We came from Syria via Turkey and Greece to Germany.")).toBe("We came from [country of origin] via [transit country] and [transit country] to Germany.");
    expect(replaced(null, "We spent three years in a camp in Jordan, then through Serbia and Hungary to Austria.")).toBe(
      "We spent three years in a camp in [transit country], then through [transit country] and [transit country] to [transit country].",
    );
    expect(replaced(null, "They went through Iran, across the border into Turkey; Bulgaria was only a stopover.")).toBe(
      "They went through [transit country], across the border into [transit country]; [transit country] was only a stopover.",
    );
  });

  it("leaves Germany, Switzerland, France and countries outside a route alone; the country of origin is no transit country", () => {
    for (const text of [
      "Sie arbeitet in der Schweiz und fährt über Frankreich nach Hause.",
      "Wir kommen über die Schweiz, durch Frankreich, über Deutschland.",
      "He commutes to Switzerland through France and via Germany.",
      "Ihr Bruder ist noch in der Türkei, in Italien haben wir Urlaub gemacht.",
      "Turkey is a big country, Jordan is my friend, Chad too.",
      "Ich möchte nicht über Syrien sprechen.",
      "Sie kam aus der Ukraine über Polen.",
    ]) {
      expect(found(text).filter(([c]) => c === "transit"), text).toEqual(text.includes("Polen") ? [["transit", "Polen"]] : []);
    }
    expect(replaced(null, "Ich möchte nicht über Syrien sprechen.")).toBe("Ich möchte nicht über [Herkunftsland] sprechen.");
    expect(replaced(null, "Sie kam aus der Ukraine über Polen.")).toBe("Sie kam aus dem [Herkunftsland] über [Transitland].");
  });
});
