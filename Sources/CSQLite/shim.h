#ifndef QUILL_CSQLITE_SHIM_H
#define QUILL_CSQLITE_SHIM_H

#include <sqlite3.h>
#include <string.h>

/// Sets a connection up for a database file that someone else may have written, as SQLite's
/// "Defense Against The Dark Arts" (sqlite.org/security.html) advises: defensive mode (no
/// writes to the schema tables, no journal tricks), an untrusted schema (triggers and views run
/// no functions with side effects), no views, no extension loading, and no attached databases.
/// `sqlite3_db_config` is variadic, which Swift cannot call.
/// Returns SQLITE_OK, or the first error code.
static inline int quill_sqlite_harden(sqlite3 *db) {
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)0);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)0);
    if (rc == SQLITE_OK) sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    return rc;
}

/// Whether a setting of `quill_sqlite_harden` is in force: 1 on, 0 off, -1 unknown.
static inline int quill_sqlite_config(sqlite3 *db, int op) {
    int value = -1;
    if (sqlite3_db_config(db, op, -1, &value) != SQLITE_OK) return -1;
    return value;
}

static const int quill_dbconfig_defensive = SQLITE_DBCONFIG_DEFENSIVE;
static const int quill_dbconfig_trusted_schema = SQLITE_DBCONFIG_TRUSTED_SCHEMA;
static const int quill_dbconfig_enable_view = SQLITE_DBCONFIG_ENABLE_VIEW;
static const int quill_dbconfig_load_extension = SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION;

/// The number of databases a connection may attach.
static inline int quill_sqlite_attach_limit(sqlite3 *db) { return sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, -1); }

/// The bytes of a connection's main database, as one consistent image (`sqlite3_serialize`),
/// or NULL. The caller frees them with `quill_sqlite_free`.
static inline unsigned char *quill_sqlite_serialize(sqlite3 *db, sqlite3_int64 *size) {
    return sqlite3_serialize(db, "main", size, 0);
}

static inline void quill_sqlite_free(void *pointer) { sqlite3_free(pointer); }

/// Makes `bytes` (the image of a database file) the connection's main database, in memory:
/// changes to it never reach any file. A file in WAL mode says so in its header (bytes 18
/// and 19 are 2), which an in-memory database cannot be; they are set to 1, the rollback
/// journal, which changes nothing else. Returns an SQLite result code.
static inline int quill_sqlite_deserialize(sqlite3 *db, const void *bytes, sqlite3_int64 size) {
    unsigned char *copy = sqlite3_malloc64(size > 0 ? (sqlite3_uint64)size : 1);
    if (copy == 0) return SQLITE_NOMEM;
    if (size > 0) memcpy(copy, bytes, (size_t)size);
    if (size >= 100 && memcmp(copy, "SQLite format 3", 16) == 0 && copy[18] == 2 && copy[19] == 2) {
        copy[18] = 1;
        copy[19] = 1;
    }
    return sqlite3_deserialize(db, "main", copy, size, size, SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
}

#endif
