/*
** lw_german: an FTS5 tokenizer whose tokens are exactly those of the app's JavaScript normalization
** (search/text/normalize.ts tokenize/normalizeWord, with search/text/german-stemmer.ts), so that FTS5 can index
** the raw text while PostgreSQL, Meilisearch and the snippet highlighter keep receiving the same tokens.
** See README.md beside this file; built by build.ts, which also generates lw_german_tables.h from the running Node.
**
** Document and aux mode: a word is a maximal run of /[\p{L}\p{N}\p{M}]/u; it yields normalizeWord(word) at the
** word's byte offsets (nothing if that is empty). Words made only of "fast" characters (ASCII letters and digits,
** Latin letters that fold on their own to ASCII) are folded and stemmed here. Every other word goes to the SQL
** function lw_normalize_word(), which the app registers from JavaScript on the same connection: NFKC, other
** scripts and Arabic folding stay in one implementation instead of two that could drift apart.
** Query mode: the app hands FTS5 tokens it has already normalized; they pass through unchanged.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include "fts5.h"
#include "lw_german_tables.h"
#include <string.h>

#define TOKENIZER_NAME "lw_german"
#define FALLBACK_FUNCTION "lw_normalize_word"

/* normalize.ts MAX_TOKEN counts UTF-16 units; a token made here is ASCII, so units are bytes. */
#define MAX_TOKEN 60

/* Words repeat (Zipf): a direct-mapped cache of word -> token spares both paths, above all the JavaScript one.
** 65536 slots of one cache line each (4 MB) per tokenizer, i.e. per FTS5 table and connection, allocated on its
** first document: on German text a miss (fold and stem) costs about twice a whole hit, and 4 MB gave the best
** insert rate (2 MB: 2 % slower, 8 MB: no faster). The rare word of more than CACHE_IN bytes is normalized every
** time. */
#define CACHE_BITS 16
#define CACHE_SLOTS (1 << CACHE_BITS)
#define CACHE_IN 30
#define CACHE_OUT 32
#define CACHE_LINE 64
typedef struct CacheSlot {
  unsigned char nIn; /* 0: empty (a word is never empty) */
  unsigned char nOut; /* 0: the word has no token */
  char in[CACHE_IN];
  char out[CACHE_OUT];
} CacheSlot;

/* The word buffer lives on the stack up to this size; longer words use the tokenizer's heap buffer. */
#define STACK_WORD 256

typedef int (*TokenCallback)(void *, int, const char *, int, int, int);

/* One per connection (FTS5 keeps tokenizers per connection): the handle the fallback statement runs on. */
typedef struct LwModule {
  sqlite3 *db;
} LwModule;

typedef struct LwTokenizer {
  sqlite3 *db;
  sqlite3_stmt *pNormalize; /* SELECT lw_normalize_word(?1), prepared on the first document */
  void *pCacheMemory; /* allocated on the first document; queries never need it */
  CacheSlot *aCache; /* pCacheMemory aligned to a cache line */
  unsigned char *aBuf; /* a token from the JavaScript path, or a long word's fold */
  int nBuf;
} LwTokenizer;

/* ---- characters ------------------------------------------------------------------------------------------- */

/* One UTF-8 character. Malformed bytes, which a JavaScript string never encodes to, count one by one as U+FFFD,
** which is no word character (as a lone surrogate is not in JavaScript). */
static int utf8_decode(const unsigned char *z, int n, unsigned *pCp) {
  unsigned c = z[0], cp;
  int len, i;
  if (c < 0x80) {
    *pCp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    goto malformed;
  }
  if (len > n) goto malformed;
  for (i = 1; i < len; i++) {
    if ((z[i] & 0xC0) != 0x80) goto malformed;
    cp = (cp << 6) | (z[i] & 0x3F);
  }
  if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) goto malformed;
  if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) goto malformed;
  *pCp = cp;
  return len;
malformed:
  *pCp = 0xFFFD;
  return 1;
}

static int is_word_char(unsigned cp) {
  if (cp < LW_FAST_LIMIT) return lw_fast[cp].kind != 0;
  return (lw_word_bits[lw_word_index[cp >> 8]][(cp & 255) >> 3] >> (cp & 7)) & 1;
}

/* ---- the Snowball German stemmer, ported from german-stemmer.ts ---------------------------------------------
** Works in place on lower-case [a-z0-9] (the fast path's fold). Byte positions equal the JavaScript code point
** positions there, so regions R1 and R2 agree. Umlauts made by the prelude from ae/oe/ue are single bytes that no
** folded word contains; U and Y mark u and y between vowels, as in the JavaScript. */
#define UML_A 1
#define UML_O 2
#define UML_U 3

static int is_vowel(unsigned char c) {
  switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': case UML_A: case UML_O: case UML_U:
      return 1;
    default:
      return 0;
  }
}

/* The letters before an s (step 1) or st (step 2) that let it go. */
static int s_ending(unsigned char c) {
  switch (c) {
    case 'b': case 'd': case 'f': case 'g': case 'h': case 'k': case 'l': case 'm': case 'n': case 'r': case 't':
      return 1;
    default:
      return 0;
  }
}

static int st_ending(unsigned char c) {
  return c != 'r' && s_ending(c);
}

/* Start of the region after the first non-vowel that follows a vowel (or the end). */
static int region_after(const unsigned char *w, int n, int from) {
  int i;
  for (i = from + 1; i < n; i++) {
    if (!is_vowel(w[i]) && is_vowel(w[i - 1])) return i + 1;
  }
  return n;
}

typedef struct Suffix {
  const char *z;
  int n;
} Suffix;
#define SUFFIX(s) {s, (int)sizeof(s) - 1}

/* Compared from the last letter, where nearly every candidate fails: no call to memcmp or strlen, which took
** most of the stemmer's time. */
static int ends_with(const unsigned char *w, int n, const Suffix *suffix) {
  int i;
  if (n < suffix->n) return 0;
  for (i = 1; i <= suffix->n; i++) {
    if (w[n - i] != (unsigned char)suffix->z[suffix->n - i]) return 0;
  }
  return 1;
}

/* Index of the first suffix of the list that w ends with: the lists are ordered longest first, so that is the
** longest match the JavaScript picks. -1 if none. */
static int longest_suffix(const unsigned char *w, int n, const Suffix *list, int count) {
  int i;
  for (i = 0; i < count; i++) {
    if (ends_with(w, n, &list[i])) return i;
  }
  return -1;
}

static const Suffix STEP1[] = {SUFFIX("ern"), SUFFIX("em"), SUFFIX("er"), SUFFIX("en"), SUFFIX("es"), SUFFIX("e"), SUFFIX("s")};
enum { S1_ERN, S1_EM, S1_ER, S1_EN, S1_ES, S1_E, S1_S };
static const Suffix STEP2[] = {SUFFIX("est"), SUFFIX("en"), SUFFIX("er"), SUFFIX("st")};
enum { S2_EST, S2_EN, S2_ER, S2_ST };
static const Suffix STEP3[] = {SUFFIX("isch"), SUFFIX("lich"), SUFFIX("heit"), SUFFIX("keit"), SUFFIX("end"), SUFFIX("ung"), SUFFIX("ig"), SUFFIX("ik")};
enum { S3_ISCH, S3_LICH, S3_HEIT, S3_KEIT, S3_END, S3_UNG, S3_IG, S3_IK };
static const Suffix NISS = SUFFIX("niss"), ER = SUFFIX("er"), EN = SUFFIX("en"), IG = SUFFIX("ig"), LICH = SUFFIX("lich");

static void prelude(unsigned char *w, int *pn) {
  int n = *pn, i, m;
  for (i = 1; i < n - 1; i++) {
    if ((w[i] == 'u' || w[i] == 'y') && is_vowel(w[i - 1]) && is_vowel(w[i + 1])) w[i] = (unsigned char)(w[i] == 'u' ? 'U' : 'Y');
  }
  for (i = 0, m = 0; i < n; i++) {
    unsigned char c = w[i], next = i + 1 < n ? w[i + 1] : 0;
    if (c == 'q' && next == 'u') {
      w[m++] = 'q';
      w[m++] = 'u';
      i++;
    } else if (next == 'e' && (c == 'a' || c == 'o' || c == 'u')) {
      w[m++] = c == 'a' ? UML_A : c == 'o' ? UML_O : UML_U;
      i++;
    } else {
      w[m++] = c;
    }
  }
  *pn = m;
}

static void step1(unsigned char *w, int *pn, int r1) {
  int n = *pn, hit = longest_suffix(w, n, STEP1, 7), k;
  if (hit < 0) return;
  k = STEP1[hit].n;
  if (n - k < r1) return;
  if (hit == S1_S) {
    if (s_ending(w[n - 2])) n -= 1;
  } else {
    n -= k;
    /* "bedürfnissen" -> "bedürfnis" */
    if ((hit == S1_E || hit == S1_EN || hit == S1_ES) && ends_with(w, n, &NISS)) n -= 1;
  }
  *pn = n;
}

static void step2(unsigned char *w, int *pn, int r1) {
  int n = *pn, hit = longest_suffix(w, n, STEP2, 4), k;
  if (hit < 0) return;
  k = STEP2[hit].n;
  if (n - k < r1) return;
  if (hit == S2_ST) {
    if (n - 3 >= 3 && st_ending(w[n - 3])) n -= 2;
  } else {
    n -= k;
  }
  *pn = n;
}

static void step3(unsigned char *w, int *pn, int r1, int r2) {
  int n = *pn, hit = longest_suffix(w, n, STEP3, 8), k;
  if (hit < 0) return;
  k = STEP3[hit].n;
  if (n - k < r2) return;
  switch (hit) {
    case S3_END:
    case S3_UNG:
      n -= 3;
      if (ends_with(w, n, &IG) && n - 2 >= r2 && (n < 3 || w[n - 3] != 'e')) n -= 2;
      break;
    case S3_IG:
    case S3_IK:
    case S3_ISCH:
      if (n - k - 1 < 0 || w[n - k - 1] != 'e') n -= k;
      break;
    case S3_LICH:
    case S3_HEIT:
      n -= 4;
      if ((ends_with(w, n, &ER) || ends_with(w, n, &EN)) && n - 2 >= r1) n -= 2;
      break;
    case S3_KEIT:
      n -= 4;
      if (ends_with(w, n, &LICH) && n - 4 >= r2) n -= 4;
      else if (ends_with(w, n, &IG) && n - 2 >= r2) n -= 2;
      break;
  }
  *pn = n;
}

static int german_stem(unsigned char *w, int n) {
  int i;
  prelude(w, &n);
  if (n >= 3) {
    /* The part before R1 holds at least three letters; R2 is searched from where R1 really starts. */
    int p1 = region_after(w, n, 0);
    int r1 = p1 < 3 ? 3 : p1;
    int r2 = region_after(w, n, p1);
    step1(w, &n, r1);
    step2(w, &n, r1);
    step3(w, &n, r1, r2);
  }
  for (i = 0; i < n; i++) {
    switch (w[i]) {
      case 'U': w[i] = 'u'; break;
      case 'Y': w[i] = 'y'; break;
      case UML_A: w[i] = 'a'; break;
      case UML_O: w[i] = 'o'; break;
      case UML_U: w[i] = 'u'; break;
    }
  }
  return n;
}

/* ---- one word ---------------------------------------------------------------------------------------------- */

/* normalizeWord for a word of fast characters only, written to out (room for nWord bytes: build.ts checks that
** no character folds to more bytes than it has). Per character is exact for these (build.ts checks every pair):
** NFKC, lower case and the Latin fold have no context between them. -1: the word needs JavaScript. */
static int normalize_fast(const unsigned char *z, int nWord, unsigned char *out) {
  int i = 0, n = 0, latin = 0;
  while (i < nWord) {
    unsigned cp;
    int len;
    const LwFastChar *f;
    if (z[i] < 0x80) {
      /* The scan let only ASCII letters and digits into a word; letters are Latin, digits are not. */
      unsigned char c = lw_ascii[z[i++]];
      out[n++] = c;
      latin |= c >= 'a';
      continue;
    }
    len = utf8_decode(z + i, nWord - i, &cp);
    if (cp >= LW_FAST_LIMIT || lw_fast[cp].kind != 1) return -1;
    f = &lw_fast[cp];
    memcpy(out + n, f->fold, f->n);
    n += f->n;
    latin |= f->latin;
    i += len;
  }
  /* Digits alone are no Latin word: not stemmed, as in normalize.ts (the stemmer would keep them anyway). */
  if (latin) n = german_stem(out, n);
  return n > MAX_TOKEN ? MAX_TOKEN : n;
}

static int grow_buffer(LwTokenizer *p, int n) {
  unsigned char *a;
  if (n <= p->nBuf) return SQLITE_OK;
  a = sqlite3_realloc(p->aBuf, n);
  if (!a) return SQLITE_NOMEM;
  p->aBuf = a;
  p->nBuf = n;
  return SQLITE_OK;
}

static int prepare_fallback(LwTokenizer *p) {
  int rc;
  if (p->pNormalize) return SQLITE_OK;
  rc = sqlite3_prepare_v3(p->db, "SELECT " FALLBACK_FUNCTION "(?1)", -1, SQLITE_PREPARE_PERSISTENT, &p->pNormalize, 0);
  if (rc != SQLITE_OK) {
    /* FTS5 has no way to pass a tokenizer's message on, so the log gets it; the extension's entry point makes the
    ** same check with a message, so this is only reached if the function disappeared after loading. */
    sqlite3_log(rc, TOKENIZER_NAME ": the SQL function " FALLBACK_FUNCTION " is missing: %s", sqlite3_errmsg(p->db));
    p->pNormalize = 0;
    return SQLITE_ERROR;
  }
  return SQLITE_OK;
}

/* normalizeWord in JavaScript, through the SQL function the app registered. The token is left in p->aBuf. */
static int normalize_slow(LwTokenizer *p, const unsigned char *z, int nWord, int *pnOut) {
  sqlite3_stmt *st;
  int rc = prepare_fallback(p), n;
  if (rc != SQLITE_OK) return rc;
  st = p->pNormalize;
  sqlite3_bind_text(st, 1, (const char *)z, nWord, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
    const unsigned char *out = sqlite3_column_text(st, 0);
    n = sqlite3_column_bytes(st, 0);
    rc = out ? grow_buffer(p, n) : SQLITE_NOMEM;
    if (rc == SQLITE_OK) {
      if (n > 0) memcpy(p->aBuf, out, (size_t)n);
      *pnOut = n;
    }
  } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
    sqlite3_log(SQLITE_ERROR, TOKENIZER_NAME ": " FALLBACK_FUNCTION " returned no text");
    rc = SQLITE_ERROR;
  }
  /* Reset before FTS5 goes on: the statement must not stay active (nor hold its result) between words. An error
  ** of the function (a JavaScript exception) comes back from the reset. */
  {
    int rcReset = sqlite3_reset(st);
    if (rc == SQLITE_OK && rcReset != SQLITE_OK) rc = rcReset;
  }
  sqlite3_clear_bindings(st);
  return rc;
}

/* Words are short: a loop beats a call to memcmp. */
static int same_bytes(const char *a, const unsigned char *b, int n) {
  int i;
  for (i = 0; i < n; i++) {
    if ((unsigned char)a[i] != b[i]) return 0;
  }
  return 1;
}

/* A word found in the text: its bytes are z[start..end), slot its place in the cache (0: too long for it). */
typedef struct Word {
  int start, end;
  CacheSlot *slot;
} Word;

static int emit_word(LwTokenizer *p, void *pCtx, TokenCallback xToken, const unsigned char *zText, const Word *w) {
  unsigned char stackBuf[STACK_WORD];
  unsigned char *tok;
  const unsigned char *z = zText + w->start;
  CacheSlot *slot = w->slot;
  int nWord = w->end - w->start, nTok, rc;
  if (slot && slot->nIn == nWord && same_bytes(slot->in, z, nWord)) {
    return slot->nOut ? xToken(pCtx, 0, slot->out, slot->nOut, w->start, w->end) : SQLITE_OK;
  }
  if (nWord <= STACK_WORD) {
    tok = stackBuf;
  } else {
    rc = grow_buffer(p, nWord);
    if (rc != SQLITE_OK) return rc;
    tok = p->aBuf;
  }
  nTok = normalize_fast(z, nWord, tok);
  if (nTok < 0) {
    rc = normalize_slow(p, z, nWord, &nTok);
    if (rc != SQLITE_OK) return rc;
    tok = p->aBuf;
  }
  if (slot && nTok <= CACHE_OUT) {
    slot->nIn = (unsigned char)nWord;
    memcpy(slot->in, z, (size_t)nWord);
    slot->nOut = (unsigned char)nTok;
    memcpy(slot->out, tok, (size_t)nTok);
  }
  return nTok ? xToken(pCtx, 0, (const char *)tok, nTok, w->start, w->end) : SQLITE_OK;
}

/* ---- FTS5 tokenizer ---------------------------------------------------------------------------------------- */

/* The cache slot of a word, hashed while it is scanned: a rotation and an xor per byte keep the dependency chain
** short (cheaper than FNV's multiplication per byte); one multiplication at the end spreads the bits over the slot
** number. */
#define HASH_STEP(h, c) ((((h) << 5) | ((h) >> 27)) ^ (c))
static CacheSlot *slot_of(LwTokenizer *p, unsigned hash) {
  return &p->aCache[(hash * 0x9E3779B1u) >> (32 - CACHE_BITS)];
}

static int allocate_cache(LwTokenizer *p) {
  size_t n = sizeof(CacheSlot) * CACHE_SLOTS;
  p->pCacheMemory = sqlite3_malloc64(n + CACHE_LINE);
  if (!p->pCacheMemory) return SQLITE_NOMEM;
  p->aCache = (CacheSlot *)(((sqlite3_uint64)(size_t)p->pCacheMemory + CACHE_LINE - 1) & ~(sqlite3_uint64)(CACHE_LINE - 1));
  memset(p->aCache, 0, n);
  return SQLITE_OK;
}

static void prefetch(const void *addr) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(addr);
#else
  (void)addr;
#endif
}

/* Words as text.matchAll(/[\p{L}\p{N}\p{M}]+/gu) finds them; ASCII, most of German text, by one table look-up per
** byte. A word is emitted only once the next one has been found, so that its cache slot, prefetched meanwhile, is
** at hand: the slot of a rarer word is a miss of the CPU's caches (the prefetch gained about 3 % of the insert
** rate on German text). */
static int tokenize_document(LwTokenizer *p, void *pCtx, const unsigned char *z, int nText, TokenCallback xToken) {
  int i = 0, rc, havePending = 0;
  Word pending, next;
  /* The fallback is prepared before any word: without lw_normalize_word every document fails, not only those
  ** with a word for it (a connection without the app must not index some texts and refuse others). */
  rc = prepare_fallback(p);
  if (rc != SQLITE_OK) return rc;
  if (!p->aCache) {
    rc = allocate_cache(p);
    if (rc != SQLITE_OK) return rc;
  }
  while (i < nText) {
    int start = i, len;
    unsigned cp, hash = 0;
    if (z[i] < 0x80) {
      if (!lw_ascii[z[i]]) {
        i++;
        continue;
      }
    } else {
      len = utf8_decode(z + i, nText - i, &cp);
      if (!is_word_char(cp)) {
        i += len;
        continue;
      }
    }
    while (i < nText) {
      unsigned char c = z[i];
      if (c < 0x80) {
        if (!lw_ascii[c]) break;
        hash = HASH_STEP(hash, c);
        i++;
      } else {
        len = utf8_decode(z + i, nText - i, &cp);
        if (!is_word_char(cp)) break;
        hash = HASH_STEP(hash, cp);
        i += len;
      }
    }
    next.start = start;
    next.end = i;
    next.slot = i - start <= CACHE_IN ? slot_of(p, hash) : 0;
    if (next.slot) prefetch(next.slot);
    if (havePending) {
      rc = emit_word(p, pCtx, xToken, z, &pending);
      if (rc != SQLITE_OK) return rc;
    }
    pending = next;
    havePending = 1;
  }
  return havePending ? emit_word(p, pCtx, xToken, z, &pending) : SQLITE_OK;
}

static int is_ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A query term holds tokens the app normalized already (one space apart): each passes as it is. */
static int tokenize_query(void *pCtx, const unsigned char *z, int nText, TokenCallback xToken) {
  int i = 0, rc;
  while (i < nText) {
    int start;
    while (i < nText && is_ascii_space(z[i])) i++;
    start = i;
    while (i < nText && !is_ascii_space(z[i])) i++;
    if (i > start) {
      rc = xToken(pCtx, 0, (const char *)z + start, i - start, start, i);
      if (rc != SQLITE_OK) return rc;
    }
  }
  return SQLITE_OK;
}

static int lwTokenize(Fts5Tokenizer *pTok, void *pCtx, int flags, const char *pText, int nText, TokenCallback xToken) {
  LwTokenizer *p = (LwTokenizer *)pTok;
  const unsigned char *z = (const unsigned char *)pText;
  if (nText <= 0 || !z) return SQLITE_OK;
  if (flags & FTS5_TOKENIZE_QUERY) return tokenize_query(pCtx, z, nText, xToken);
  return tokenize_document(p, pCtx, z, nText, xToken);
}

static void lwDelete(Fts5Tokenizer *pTok) {
  LwTokenizer *p = (LwTokenizer *)pTok;
  sqlite3_finalize(p->pNormalize);
  sqlite3_free(p->pCacheMemory);
  sqlite3_free(p->aBuf);
  sqlite3_free(p);
}

static int lwCreate(void *pUserData, const char **azArg, int nArg, Fts5Tokenizer **ppOut) {
  LwModule *m = (LwModule *)pUserData;
  LwTokenizer *p;
  (void)azArg;
  *ppOut = 0;
  /* No options: each would be a way to index other tokens than the app's. */
  if (nArg > 0) return SQLITE_ERROR;
  p = sqlite3_malloc(sizeof(*p));
  if (!p) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->db = m->db;
  *ppOut = (Fts5Tokenizer *)p;
  return SQLITE_OK;
}

static void lwModuleDestroy(void *pUserData) {
  sqlite3_free(pUserData);
}

static fts5_api *fts5_api_of(sqlite3 *db) {
  fts5_api *api = 0;
  sqlite3_stmt *st = 0;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, 0) == SQLITE_OK) {
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", 0);
    sqlite3_step(st);
  }
  sqlite3_finalize(st);
  return api;
}

/* SQLite derives this name from the file name lw_german.so (letters only). */
#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_lwgerman_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  static fts5_tokenizer tokenizer = {lwCreate, lwDelete, lwTokenize};
  fts5_api *api;
  sqlite3_stmt *st = 0;
  LwModule *m;
  int rc;
  SQLITE_EXTENSION_INIT2(pApi);

  api = fts5_api_of(db);
  if (!api) {
    *pzErrMsg = sqlite3_mprintf(TOKENIZER_NAME ": this SQLite has no FTS5");
    return SQLITE_ERROR;
  }
  /* Refuse to load where the JavaScript half is missing (the sqlite3 shell, another program): FTS5 cannot report
  ** a tokenizer's own error message, so this is the one place a clear message can be given. */
  rc = sqlite3_prepare_v2(db, "SELECT " FALLBACK_FUNCTION "(?1)", -1, &st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_OK) {
    *pzErrMsg = sqlite3_mprintf(TOKENIZER_NAME ": the SQL function " FALLBACK_FUNCTION "(word) is not registered on "
                                "this connection (%s); register normalizeWord from search/text/normalize.ts under "
                                "that name before loading the extension, as scripts/experiments/fts5-german-tokenizer/load.ts does",
                                sqlite3_errmsg(db));
    return SQLITE_ERROR;
  }

  m = sqlite3_malloc(sizeof(*m));
  if (!m) return SQLITE_NOMEM;
  m->db = db;
  rc = api->xCreateTokenizer(api, TOKENIZER_NAME, (void *)m, &tokenizer, lwModuleDestroy);
  if (rc != SQLITE_OK) sqlite3_free(m); /* FTS5 calls the destructor only for a registered tokenizer */
  return rc;
}
