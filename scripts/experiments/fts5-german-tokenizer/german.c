/* Experiment, not used by the app (README.md beside this file): an FTS5 tokenizer "german" = unicode61
 * (remove_diacritics 2) + the Snowball German stemmer in its german2 variant, ported from
 * search/text/german-stemmer.ts, with a per-tokenizer cache of stems (words repeat: Zipf). It measures what
 * German normalization inside FTS5 would cost next to a bare unicode61 table (issue 7's build target).
 * "german_nostem" only passes unicode61's tokens through: the cost of wrapping a tokenizer at all.
 * Not covered: NFKC, the Arabic and Persian folding of normalize.ts, the 60-character token limit. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include "fts5.h"
#include <string.h>
#include <stdlib.h>

#define CACHE_SLOTS 65536
typedef struct { unsigned char nIn, nOut; char in[30]; char out[32]; } Slot;
typedef struct { fts5_tokenizer parent; Fts5Tokenizer *pParent; Slot *cache; } GermanTok;
typedef struct { void *pCtx; int (*xToken)(void*, int, const char*, int, int, int); char buf[128]; Slot *cache; } Cb;

static int is_vowel(char c) { return c=='a'||c=='e'||c=='i'||c=='o'||c=='u'||c=='y'||c=='1'||c=='2'||c=='3'; }
static int in_set(char c, const char *s) { return c && strchr(s, c) != NULL; }
static int region_after(const char *w, int n, int from) {
  for (int i = from + 1; i < n; i++) if (!is_vowel(w[i]) && is_vowel(w[i-1])) return i + 1;
  return n;
}
static int ends(const char *w, int n, const char *s) { int k = (int)strlen(s); return n >= k && memcmp(w + n - k, s, k) == 0; }

/* in: lower-case ASCII (ß as 0xC3 0x9F); out: stem, returns its length */
static int stem(const char *in, int nIn, char *out) {
  char w[128]; int n = 0;
  for (int i = 0; i < nIn && n < 120; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c == 0xC3 && i + 1 < nIn && (unsigned char)in[i+1] == 0x9F) { w[n++]='s'; w[n++]='s'; i++; }
    else w[n++] = (char)c;
  }
  for (int i = 1; i < n - 1; i++) if ((w[i]=='u'||w[i]=='y') && is_vowel(w[i-1]) && is_vowel(w[i+1])) w[i] = (char)(w[i]=='u' ? 'U' : 'Y');
  int m = 0;
  for (int i = 0; i < n; i++) {
    char c = w[i], nx = i + 1 < n ? w[i+1] : 0;
    if (c == 'q' && nx == 'u') { w[m++]='q'; w[m++]='u'; i++; }
    else if (nx == 'e' && (c=='a'||c=='o'||c=='u')) { w[m++] = c=='a' ? '1' : c=='o' ? '2' : '3'; i++; }
    else w[m++] = c;
  }
  n = m;
  if (n >= 3) {
    int p1 = region_after(w, n, 0), r1 = p1 < 3 ? 3 : p1, r2 = region_after(w, n, p1);
    const char *s1[] = {"ern","em","er","en","es","e","s"}; const char *hit = 0;
    for (int i = 0; i < 7; i++) if (ends(w, n, s1[i])) { hit = s1[i]; break; }
    if (hit && n - (int)strlen(hit) >= r1) {
      if (!strcmp(hit, "s")) { if (n >= 2 && in_set(w[n-2], "bdfghklmnrt")) n -= 1; }
      else { n -= (int)strlen(hit); if ((!strcmp(hit,"e")||!strcmp(hit,"en")||!strcmp(hit,"es")) && ends(w, n, "niss")) n -= 1; }
    }
    const char *s2[] = {"est","en","er","st"}; hit = 0;
    for (int i = 0; i < 4; i++) if (ends(w, n, s2[i])) { hit = s2[i]; break; }
    if (hit && n - (int)strlen(hit) >= r1) {
      if (!strcmp(hit, "st")) { if (n >= 3 && in_set(w[n-3], "bdfghklmnt") && n - 3 >= 3) n -= 2; }
      else n -= (int)strlen(hit);
    }
    const char *s3[] = {"isch","lich","heit","keit","end","ung","ig","ik"}; hit = 0;
    for (int i = 0; i < 8; i++) if (ends(w, n, s3[i])) { hit = s3[i]; break; }
    if (hit && n - (int)strlen(hit) >= r2) {
      int k = (int)strlen(hit);
      if (!strcmp(hit,"end") || !strcmp(hit,"ung")) { n -= 3; if (ends(w,n,"ig") && n-2 >= r2 && (n < 3 || w[n-3] != 'e')) n -= 2; }
      else if (!strcmp(hit,"ig") || !strcmp(hit,"ik") || !strcmp(hit,"isch")) { if (n - k - 1 < 0 || w[n-k-1] != 'e') n -= k; }
      else if (!strcmp(hit,"lich") || !strcmp(hit,"heit")) { n -= 4; if ((ends(w,n,"er")||ends(w,n,"en")) && n-2 >= r1) n -= 2; }
      else { n -= 4; if (ends(w,n,"lich") && n-4 >= r2) n -= 4; else if (ends(w,n,"ig") && n-2 >= r2) n -= 2; }
    }
  }
  for (int i = 0; i < n; i++) { char c = w[i]; out[i] = c=='U'?'u':c=='Y'?'y':c=='1'?'a':c=='2'?'o':c=='3'?'u':c; }
  return n;
}

static int cb_copy(void *p, int tflags, const char *t, int nT, int s, int e) {
  Cb *c = (Cb*)p;
  return c->xToken(c->pCtx, tflags, t, nT, s, e);
}
static int cb(void *p, int tflags, const char *t, int nT, int s, int e) {
  Cb *c = (Cb*)p;
  if (nT <= 0 || nT >= 120 || (tflags & FTS5_TOKEN_COLOCATED)) return c->xToken(c->pCtx, tflags, t, nT, s, e);
  if (nT < 30 && c->cache) {
    unsigned h = 2166136261u; for (int i = 0; i < nT; i++) h = (h ^ (unsigned char)t[i]) * 16777619u;
    Slot *sl = &c->cache[h & (CACHE_SLOTS - 1)];
    if (sl->nIn == nT && memcmp(sl->in, t, nT) == 0) return c->xToken(c->pCtx, tflags, sl->out, sl->nOut, s, e);
    int n = stem(t, nT, c->buf);
    if (n < 32) { sl->nIn = (unsigned char)nT; memcpy(sl->in, t, nT); sl->nOut = (unsigned char)n; memcpy(sl->out, c->buf, n); }
    return c->xToken(c->pCtx, tflags, c->buf, n, s, e);
  }
  int n = stem(t, nT, c->buf);
  return c->xToken(c->pCtx, tflags, c->buf, n, s, e);
}
static int gCreate(void *pCtx, const char **azArg, int nArg, Fts5Tokenizer **ppOut) {
  fts5_api *api = (fts5_api*)pCtx; void *ud = 0;
  GermanTok *g = sqlite3_malloc(sizeof(GermanTok)); if (!g) return SQLITE_NOMEM;
  memset(g, 0, sizeof(*g));
  g->cache = sqlite3_malloc(sizeof(Slot) * CACHE_SLOTS); if (g->cache) memset(g->cache, 0, sizeof(Slot) * CACHE_SLOTS);
  int rc = api->xFindTokenizer(api, "unicode61", &ud, &g->parent);
  const char *args[] = {"remove_diacritics", "2"};
  if (rc == SQLITE_OK) rc = g->parent.xCreate(ud, args, 2, &g->pParent);
  if (rc != SQLITE_OK) { sqlite3_free(g); return rc; }
  *ppOut = (Fts5Tokenizer*)g; return SQLITE_OK;
}
static void gDelete(Fts5Tokenizer *p) { GermanTok *g = (GermanTok*)p; g->parent.xDelete(g->pParent); sqlite3_free(g->cache); sqlite3_free(g); }
static int gTokenizeCopy(Fts5Tokenizer *p, void *pCtx, int flags, const char *pText, int nText, int (*xToken)(void*, int, const char*, int, int, int)) {
  GermanTok *g = (GermanTok*)p; Cb c; c.pCtx = pCtx; c.xToken = xToken; c.cache = 0;
  return g->parent.xTokenize(g->pParent, &c, flags, pText, nText, cb_copy);
}
static int gTokenize(Fts5Tokenizer *p, void *pCtx, int flags, const char *pText, int nText, int (*xToken)(void*, int, const char*, int, int, int)) {
  GermanTok *g = (GermanTok*)p; Cb c; c.pCtx = pCtx; c.xToken = xToken; c.cache = g->cache;
  if (flags & FTS5_TOKENIZE_PREFIX) return g->parent.xTokenize(g->pParent, pCtx, flags, pText, nText, xToken);
  return g->parent.xTokenize(g->pParent, &c, flags, pText, nText, cb);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_german_init(sqlite3 *db, char **pzErr, const sqlite3_api_routines *pApi) {
  SQLITE_EXTENSION_INIT2(pApi);
  fts5_api *api = 0; sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, 0);
  if (rc != SQLITE_OK) return rc;
  sqlite3_bind_pointer(st, 1, (void*)&api, "fts5_api_ptr", 0);
  sqlite3_step(st); sqlite3_finalize(st);
  if (!api) return SQLITE_ERROR;
  static fts5_tokenizer t = { gCreate, gDelete, gTokenize };
  static fts5_tokenizer t2 = { gCreate, gDelete, gTokenizeCopy };
  rc = api->xCreateTokenizer(api, "german_nostem", (void*)api, &t2, 0);
  if (rc != SQLITE_OK) return rc;
  return api->xCreateTokenizer(api, "german", (void*)api, &t, 0);
}
