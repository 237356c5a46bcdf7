// Replays an archive's rows (messages in arrival order, their attachments and reactions) into a fresh copy of the
// schema the way the SQLite MessageWriter does: per page (up to 100 messages of one channel) the stored-range read,
// the message inserts, the attachment and reaction upserts, the checkpoint and segment upserts; per group of pages
// the FTS5 feed and COMMIT; the writer's pragmas. Each kind of statement is stepped from its own function, so
// `valgrind --tool=callgrind` gives its instructions inclusively (README, issue 16 part M).
//
//   gcc -O2 -g -o /tmp/replay scripts/sqlite-write-replay.c -lsqlite3
//   # SRC: an archive (e.g. the quick cpu world's), checkpointed; TEMPLATE: SRC emptied of its rows, then VACUUM:
//   sqlite3 tmpl.sqlite "PRAGMA foreign_keys=OFF; DELETE FROM attachment; DELETE FROM reaction; DELETE FROM message;
//     DELETE FROM channel_segment; DELETE FROM channel_checkpoint; DELETE FROM author_json; DELETE FROM discord_user;
//     PRAGMA journal_mode=DELETE; VACUUM"
//   cp tmpl.sqlite dst.sqlite && valgrind --tool=callgrind /tmp/replay SRC dst.sqlite
//
// Variants through the environment: ATT and REACT = upsert (today's statements) | insert (plain) | ignore (DO NOTHING,
// then an UPDATE when nothing was inserted); FK = 1 | 0; GROUP = pages per transaction (18: the quick world's);
// PASSES = n (later passes store the attachments and reactions of every page again); ROWS = n (message rows per INSERT
// statement, the page's rest one by one: issue 16 part O); BIND = copy | static; MESSAGES = n (the first n only); SQL = statements run first
// (e.g. "DROP INDEX attachment_pending").
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#define NMSGCOL 19
typedef struct { sqlite3_value *v[NMSGCOL]; long long channel, id; } Msg;
typedef struct { long long channel, message; sqlite3_value *v[8]; } Row8;

static Msg *msgs; static int nmsg;
static Row8 *atts; static int natt;
static Row8 *reas; static int nrea;

static void die(sqlite3 *db, const char *what) { fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db)); exit(1); }
static sqlite3_stmt *prep(sqlite3 *db, const char *sql) {
    sqlite3_stmt *s; if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, 0)) die(db, sql); return s;
}
// BIND=static binds a text message column where the source value keeps it (SQLITE_STATIC, as the Swift writer binds
// the page's bytes), BIND=copy (the default) with sqlite3_bind_value, which copies it.
static int bindStatic;
static void bindColumn(sqlite3_stmt *s, int i, sqlite3_value *v) {
    if (bindStatic && sqlite3_value_type(v) == SQLITE_TEXT)
        sqlite3_bind_text(s, i, (const char *)sqlite3_value_text(v), sqlite3_value_bytes(v), SQLITE_STATIC);
    else
        sqlite3_bind_value(s, i, v);
}
static void exec(sqlite3 *db, const char *sql) { char *e; if (sqlite3_exec(db, sql, 0, 0, &e)) { fprintf(stderr, "%s: %s\n", sql, e); exit(1); } }
static const char *env(const char *k, const char *d) { const char *v = getenv(k); return v ? v : d; }

static void load(const char *path) {
    sqlite3 *db; if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, 0)) die(db, "open src");
    sqlite3_stmt *s = prep(db, "SELECT count(*) FROM message"); sqlite3_step(s); int n = sqlite3_column_int(s, 0); sqlite3_finalize(s);
    msgs = calloc(n, sizeof(Msg));
    s = prep(db, "SELECT guild_id, author_id, edited_timestamp, type, flags, pinned, reference_message_id, "
                 "reference_channel_id, reference_guild_id, id, channel_id, timestamp, json, archived_at, updated_at, "
                 "revision_count, author_ref, author_at, content FROM message ORDER BY row_id");
    while (sqlite3_step(s) == SQLITE_ROW) {
        Msg *m = &msgs[nmsg++];
        for (int i = 0; i < NMSGCOL; i++) m->v[i] = sqlite3_value_dup(sqlite3_column_value(s, i));
        m->id = sqlite3_column_int64(s, 9); m->channel = sqlite3_column_int64(s, 10);
    }
    sqlite3_finalize(s);
    s = prep(db, "SELECT count(*) FROM attachment"); sqlite3_step(s); n = sqlite3_column_int(s, 0); sqlite3_finalize(s);
    atts = calloc(n, sizeof(Row8));
    s = prep(db, "SELECT id, message_id, channel_id, filename, size, content_type, url, proxy_url FROM attachment ORDER BY channel_id, message_id, id");
    while (sqlite3_step(s) == SQLITE_ROW) {
        Row8 *r = &atts[natt++];
        for (int i = 0; i < 8; i++) r->v[i] = sqlite3_value_dup(sqlite3_column_value(s, i));
        r->message = sqlite3_column_int64(s, 1); r->channel = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    s = prep(db, "SELECT count(*) FROM reaction"); sqlite3_step(s); n = sqlite3_column_int(s, 0); sqlite3_finalize(s);
    reas = calloc(n, sizeof(Row8));
    s = prep(db, "SELECT channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count, burst_count FROM reaction ORDER BY channel_id, message_id, emoji_key");
    while (sqlite3_step(s) == SQLITE_ROW) {
        Row8 *r = &reas[nrea++];
        for (int i = 0; i < 8; i++) r->v[i] = sqlite3_value_dup(sqlite3_column_value(s, i));
        r->channel = sqlite3_column_int64(s, 0); r->message = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static int lower(Row8 *rows, int n, long long channel, long long message) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (rows[mid].channel < channel || (rows[mid].channel == channel && rows[mid].message < message)) lo = mid + 1; else hi = mid;
    }
    return lo;
}

// One function per kind of statement, not inlined, so callgrind's inclusive costs name each.
#define STEP(name) __attribute__((noinline)) static void name(sqlite3 *db, sqlite3_stmt *s) { \
    int rc = sqlite3_step(s); if (rc != SQLITE_DONE && rc != SQLITE_ROW) die(db, #name); sqlite3_reset(s); }
STEP(step_message)
STEP(step_message_rows)
STEP(step_attachment)
STEP(step_attachment_update)
STEP(step_reaction)
STEP(step_reaction_update)
STEP(step_range)
STEP(step_checkpoint)
STEP(step_segment)
STEP(step_fts)
STEP(step_commit)
STEP(step_begin)

static const char *ATT_UPSERT =
    "INSERT INTO attachment (id, message_id, channel_id, filename, size, content_type, url, proxy_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET filename = excluded.filename, size = excluded.size, content_type = excluded.content_type, "
    "url = excluded.url, proxy_url = excluded.proxy_url WHERE url IS NOT excluded.url OR proxy_url IS NOT excluded.proxy_url "
    "OR filename IS NOT excluded.filename OR size IS NOT excluded.size OR content_type IS NOT excluded.content_type";
static const char *ATT_INSERT =
    "INSERT INTO attachment (id, message_id, channel_id, filename, size, content_type, url, proxy_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char *ATT_IGNORE =
    "INSERT INTO attachment (id, message_id, channel_id, filename, size, content_type, url, proxy_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT DO NOTHING";
static const char *ATT_UPDATE =
    "UPDATE attachment SET filename = ?4, size = ?5, content_type = ?6, url = ?7, proxy_url = ?8 WHERE id = ?1 AND "
    "(url IS NOT ?7 OR proxy_url IS NOT ?8 OR filename IS NOT ?4 OR size IS NOT ?5 OR content_type IS NOT ?6)";
static const char *REA_UPSERT =
    "INSERT INTO reaction (channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count, burst_count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel_id, message_id, emoji_key) DO UPDATE SET count = excluded.count, "
    "normal_count = excluded.normal_count, burst_count = excluded.burst_count";
static const char *REA_INSERT =
    "INSERT INTO reaction (channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count, burst_count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char *REA_IGNORE =
    "INSERT INTO reaction (channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count, burst_count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char *REA_UPDATE =
    "UPDATE reaction SET count = ?6, normal_count = ?7, burst_count = ?8 WHERE channel_id = ?1 AND message_id = ?2 AND emoji_key = ?3";

static double cpu(void) { struct rusage u; getrusage(RUSAGE_SELF, &u); return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6; }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: harness SRC DST\n"); return 2; }
    load(argv[1]);
    bindStatic = !strcmp(env("BIND", "copy"), "static");
    int limit = atoi(env("MESSAGES", "0")); if (limit > 0 && limit < nmsg) nmsg = limit;
    const char *att = env("ATT", "upsert"), *rea = env("REACT", "upsert");
    int fk = atoi(env("FK", "1")), group = atoi(env("GROUP", "18")), passes = atoi(env("PASSES", "1"));
    int skipAtt = atoi(env("NOATT", "0")), skipRea = atoi(env("NOREACT", "0"));
    sqlite3 *db; if (sqlite3_open(argv[2], &db)) die(db, "open dst");
    exec(db, "PRAGMA page_size = 16384"); exec(db, "PRAGMA journal_mode = WAL"); exec(db, "PRAGMA synchronous = NORMAL");
    exec(db, "PRAGMA temp_store = MEMORY"); exec(db, "PRAGMA cache_size = -65536"); exec(db, "PRAGMA wal_autocheckpoint = 16384");
    exec(db, fk ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF");
    const char *extra = getenv("SQL"); if (extra) exec(db, extra);
    {   // the authors the stored JSON refers to
        char sql[4096]; snprintf(sql, sizeof sql, "ATTACH '%s' AS src; INSERT INTO author_json SELECT * FROM src.author_json; DETACH src", argv[1]);
        exec(db, sql);
    }
    sqlite3_stmt *ins = prep(db, "INSERT INTO message (guild_id, author_id, edited_timestamp, type, flags, pinned, "
        "reference_message_id, reference_channel_id, reference_guild_id, id, channel_id, timestamp, json, archived_at, "
        "updated_at, revision_count, author_ref, author_at, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    // ROWS = n > 1: a page's messages are inserted n rows per statement (`VALUES (…), (…), …`), the rest one by one.
    int rows = atoi(env("ROWS", "1"));
    sqlite3_stmt *insRows = 0;
    if (rows > 1) {
        static const char *head = "INSERT INTO message (guild_id, author_id, edited_timestamp, type, flags, pinned, "
            "reference_message_id, reference_channel_id, reference_guild_id, id, channel_id, timestamp, json, archived_at, "
            "updated_at, revision_count, author_ref, author_at, content) VALUES ";
        static const char *tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        char *sql = malloc(strlen(head) + rows * (strlen(tuple) + 2) + 1);
        strcpy(sql, head);
        for (int r = 0; r < rows; r++) { if (r) strcat(sql, ", "); strcat(sql, tuple); }
        insRows = prep(db, sql); free(sql);
    }
    sqlite3_stmt *range = prep(db, "SELECT id, edited_timestamp, content, json, deleted_at FROM message "
        "WHERE channel_id = ? AND id BETWEEN ? AND ? ORDER BY id LIMIT ?");
    sqlite3_stmt *attS = prep(db, !strcmp(att, "insert") ? ATT_INSERT : !strcmp(att, "ignore") ? ATT_IGNORE : ATT_UPSERT);
    sqlite3_stmt *attU = prep(db, ATT_UPDATE);
    sqlite3_stmt *reaS = prep(db, !strcmp(rea, "insert") ? REA_INSERT : !strcmp(rea, "ignore") ? REA_IGNORE : REA_UPSERT);
    sqlite3_stmt *reaU = prep(db, REA_UPDATE);
    sqlite3_stmt *checkpoint = prep(db, "INSERT INTO channel_checkpoint (channel_id, guild_id, backfill_complete, oldest_archived_id, "
        "newest_archived_id, backfill_cursor, last_sync_at, last_recheck_at, recheck_cursor, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (channel_id) DO UPDATE SET guild_id = COALESCE(excluded.guild_id, guild_id), backfill_complete = excluded.backfill_complete, "
        "oldest_archived_id = excluded.oldest_archived_id, newest_archived_id = excluded.newest_archived_id, backfill_cursor = excluded.backfill_cursor, "
        "last_sync_at = excluded.last_sync_at, last_recheck_at = excluded.last_recheck_at, recheck_cursor = excluded.recheck_cursor, updated_at = excluded.updated_at");
    sqlite3_stmt *segment = prep(db, "INSERT INTO channel_segment (channel_id, low, high, cursor, done, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (channel_id, low) DO UPDATE SET high = excluded.high, cursor = excluded.cursor, done = excluded.done, updated_at = excluded.updated_at");
    sqlite3_stmt *fts = prep(db, "INSERT INTO message_search (rowid, content) SELECT row_id, content FROM message WHERE row_id BETWEEN ? AND ?");
    sqlite3_stmt *begin = prep(db, "BEGIN IMMEDIATE"), *commit = prep(db, "COMMIT");
    const char *now = "2026-11-27T23:00:00.000000+00:00";

    double t0 = cpu();
    long long pages = 0, groups = 0, attRows = 0, reaRows = 0, updates = 0;
    for (int pass = 0; pass < passes; pass++) {
        int inGroup = 0; long long firstRow = -1, lastRow = -1;
        for (int start = 0; start < nmsg;) {
            int end = start + 1;
            while (end < nmsg && end - start < 100 && msgs[end].channel == msgs[start].channel) end++;
            if (inGroup == 0) step_begin(db, begin);
            long long low = msgs[start].id, high = low;
            for (int i = start; i < end; i++) { if (msgs[i].id < low) low = msgs[i].id; if (msgs[i].id > high) high = msgs[i].id; }
            sqlite3_bind_int64(range, 1, msgs[start].channel); sqlite3_bind_int64(range, 2, low);
            sqlite3_bind_int64(range, 3, high); sqlite3_bind_int64(range, 4, 2 * (end - start) + 16);
            step_range(db, range);
            if (pass == 0) {
                int i = start;
                for (; rows > 1 && i + rows <= end; i += rows) {
                    for (int r = 0; r < rows; r++)
                        for (int c = 0; c < NMSGCOL; c++) bindColumn(insRows, r * NMSGCOL + c + 1, msgs[i + r].v[c]);
                    step_message_rows(db, insRows);
                    long long row = sqlite3_last_insert_rowid(db);
                    if (firstRow < 0) firstRow = row - rows + 1;
                    lastRow = row;
                }
                for (; i < end; i++) {
                    for (int c = 0; c < NMSGCOL; c++) bindColumn(ins, c + 1, msgs[i].v[c]);
                    step_message(db, ins);
                    long long row = sqlite3_last_insert_rowid(db);
                    if (firstRow < 0) firstRow = row;
                    lastRow = row;
                }
            }
            for (int i = start; i < end && !skipAtt; i++) {
                for (int a = lower(atts, natt, msgs[i].channel, msgs[i].id); a < natt && atts[a].channel == msgs[i].channel && atts[a].message == msgs[i].id; a++) {
                    for (int c = 0; c < 8; c++) sqlite3_bind_value(attS, c + 1, atts[a].v[c]);
                    step_attachment(db, attS); attRows++;
                    if (!strcmp(att, "ignore") && sqlite3_changes(db) == 0) {
                        for (int c = 0; c < 8; c++) sqlite3_bind_value(attU, c + 1, atts[a].v[c]);
                        step_attachment_update(db, attU); updates++;
                    }
                }
            }
            for (int i = start; i < end && !skipRea; i++) {
                for (int r = lower(reas, nrea, msgs[i].channel, msgs[i].id); r < nrea && reas[r].channel == msgs[i].channel && reas[r].message == msgs[i].id; r++) {
                    for (int c = 0; c < 8; c++) sqlite3_bind_value(reaS, c + 1, reas[r].v[c]);
                    step_reaction(db, reaS); reaRows++;
                    if (!strcmp(rea, "ignore") && sqlite3_changes(db) == 0) {
                        for (int c = 0; c < 8; c++) sqlite3_bind_value(reaU, c + 1, reas[r].v[c]);
                        step_reaction_update(db, reaU); updates++;
                    }
                }
            }
            sqlite3_bind_int64(checkpoint, 1, msgs[start].channel); sqlite3_bind_null(checkpoint, 2);
            sqlite3_bind_int(checkpoint, 3, 0); sqlite3_bind_int64(checkpoint, 4, low); sqlite3_bind_int64(checkpoint, 5, high);
            sqlite3_bind_int64(checkpoint, 6, low); sqlite3_bind_text(checkpoint, 7, now, -1, SQLITE_STATIC);
            sqlite3_bind_null(checkpoint, 8); sqlite3_bind_null(checkpoint, 9); sqlite3_bind_text(checkpoint, 10, now, -1, SQLITE_STATIC);
            step_checkpoint(db, checkpoint);
            sqlite3_bind_int64(segment, 1, msgs[start].channel); sqlite3_bind_int64(segment, 2, msgs[start].channel & 7);
            sqlite3_bind_int64(segment, 3, high); sqlite3_bind_int64(segment, 4, low); sqlite3_bind_int(segment, 5, 0);
            sqlite3_bind_text(segment, 6, now, -1, SQLITE_STATIC);
            step_segment(db, segment);
            pages++;
            start = end;
            if (++inGroup == group || start >= nmsg) {
                if (firstRow >= 0) {
                    sqlite3_bind_int64(fts, 1, firstRow); sqlite3_bind_int64(fts, 2, lastRow);
                    step_fts(db, fts); firstRow = lastRow = -1;
                }
                step_commit(db, commit); groups++; inGroup = 0;
            }
        }
    }
    double t1 = cpu();
    printf("%s att=%s react=%s fk=%d group=%d passes=%d: %lld pages, %lld groups, %lld attachment rows, %lld reaction rows, %lld updates; "
           "write CPU %.3f s (%.2f s per 1M messages)\n", argv[2], att, rea, fk, group, passes, pages, groups, attRows, reaRows, updates,
           t1 - t0, (t1 - t0) * 1e6 / nmsg / passes);
    sqlite3_close(db);
    return 0;
}
