/*
** process.c: what the command line needs from the operating system and
** pure Lua cannot do: signals, a private temporary directory, child
** processes it can poll, kill and reap, and whether a stream is a terminal.
** POSIX only. Functions are added to bhclaim.core as process_*.
** SPDX-License-Identifier: MIT
*/
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "areas.h"

extern char **environ;

/* The signal caught, 0 for none. A signal is delivered to the process, not
** to a Lua state, so its flag is process-wide by nature: it lives here, in
** the binding, and only the handler writes it (sig_atomic_t, the one type a
** handler may store to). The C core keeps no such state. */
static volatile sig_atomic_t caught_signal = 0;

static void on_signal(int sig) {
    if (caught_signal == 0) caught_signal = sig;
}

static int push_errno(lua_State *L, const char *what) {
    int e = errno;
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", what, strerror(e));
    lua_pushinteger(L, e);
    return 3;
}

/***
Catches SIGINT and SIGTERM (they set a flag that process_signal reads) and
ignores SIGPIPE, so that a write to a closed pipe fails with EPIPE and the
caller can clean up. Interrupted system calls are not restarted, so a read
from a terminal returns when Ctrl-C is pressed.
@function process_catch
*/
static int l_catch(lua_State *L) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal;
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return luaL_error(L, "sigaction: %s", strerror(errno));
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, NULL) != 0)
        return luaL_error(L, "sigaction: %s", strerror(errno));
    return 0;
}

/***
The signal caught since process_catch, as "INT" or "TERM" and its number,
or nil when none was.
@function process_signal
*/
static int l_signal(lua_State *L) {
    int sig = caught_signal;
    if (sig == 0) return 0;
    lua_pushstring(L, sig == SIGINT ? "INT" : sig == SIGTERM ? "TERM" : "?");
    lua_pushinteger(L, sig);
    return 2;
}

/***
Creates a private directory (mode 0700) from a template ending in XXXXXX.
@function process_mkdtemp
@tparam string template
@treturn[1] string the path
@return[2] nil
@treturn[2] string message
*/
static int l_mkdtemp(lua_State *L) {
    size_t len;
    const char *tmpl = luaL_checklstring(L, 1, &len);
    char *path;
    if (len < 6 || strcmp(tmpl + len - 6, "XXXXXX") != 0)
        return luaL_argerror(L, 1, "template must end in XXXXXX");
    path = malloc(len + 1);
    if (path == NULL) return luaL_error(L, "bhclaim: out of memory");
    memcpy(path, tmpl, len + 1);
    if (mkdtemp(path) == NULL) {
        free(path);
        return push_errno(L, tmpl);
    }
    lua_pushstring(L, path);
    free(path);
    return 1;
}

/* Removes path and, when it is a directory (not a link to one), what it
** holds. Returns 0 or an errno. Depth is bounded by the caller's tree: only
** the CLI's own temporary directory, one level deep, is ever given. */
static int remove_tree(const char *path, int depth) {
    struct stat st;
    DIR *dir;
    struct dirent *entry;
    int rc = 0;
    if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : errno;
    if (!S_ISDIR(st.st_mode)) return unlink(path) == 0 || errno == ENOENT ? 0 : errno;
    if (depth > 16) return ELOOP;
    if ((dir = opendir(path)) == NULL) return errno;
    while ((entry = readdir(dir)) != NULL) {
        size_t n = strlen(path) + strlen(entry->d_name) + 2;
        char *child;
        int e;
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
        if ((child = malloc(n)) == NULL) {
            rc = ENOMEM;
            break;
        }
        snprintf(child, n, "%s/%s", path, entry->d_name);
        e = remove_tree(child, depth + 1);
        free(child);
        if (e != 0 && rc == 0) rc = e;
    }
    closedir(dir);
    if (rmdir(path) != 0 && errno != ENOENT && rc == 0) rc = errno;
    return rc;
}

/***
Removes a directory and everything in it (symbolic links are removed, never
followed). A path that does not exist is already removed.
@function process_rmtree
@tparam string path
@treturn[1] true
@return[2] nil
@treturn[2] string message
*/
static int l_rmtree(lua_State *L) {
    const char *path = luaL_checkstring(L, 1);
    int e = remove_tree(path, 0);
    if (e != 0) {
        errno = e;
        return push_errno(L, path);
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* The strings of the array at idx as a NULL-terminated argv (pointers into
** the Lua strings, which the table keeps alive), or NULL on no memory. */
static char **argv_of(lua_State *L, int idx) {
    int i, n = (int)bhc_rawlen(L, idx);
    char **argv;
    luaL_argcheck(L, n > 0, idx, "an array of at least one string expected");
    argv = calloc((size_t)n + 1, sizeof *argv);
    if (argv == NULL) return NULL;
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        if (lua_type(L, -1) != LUA_TSTRING) {
            free(argv);
            luaL_argerror(L, idx, "an array of strings expected");
        }
        argv[i - 1] = (char *)lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    return argv;
}

/***
Starts a program with its standard output and error going to files
(created or truncated) and standard input from /dev/null; SIGINT, SIGTERM
and SIGPIPE are back to their defaults in it.
@function process_spawn
@tparam table argv program (searched in PATH) and arguments
@tparam string out path for standard output
@tparam string err path for standard error
@treturn[1] integer the process id
@return[2] nil
@treturn[2] string message
*/
static int l_spawn(lua_State *L) {
    const char *out, *errpath;
    char **argv;
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t defaults;
    pid_t pid;
    int rc;
    luaL_checktype(L, 1, LUA_TTABLE);
    out = luaL_checkstring(L, 2);
    errpath = luaL_checkstring(L, 3);
    if ((argv = argv_of(L, 1)) == NULL) return luaL_error(L, "bhclaim: out of memory");
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawnattr_init(&attr);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    free(argv);
    if (rc != 0) {
        errno = rc;
        return push_errno(L, "cannot start a child process");
    }
    lua_pushinteger(L, (lua_Integer)pid);
    return 1;
}

/***
Reaps a child. Without `block`, returns nil at once while it still runs.
@function process_wait
@tparam integer pid
@tparam[opt] boolean block wait until it ends
@treturn[1] integer its exit status, or 128 + the signal that ended it
@return[2] nil (still running)
*/
static int l_wait(lua_State *L) {
    pid_t pid = (pid_t)luaL_checkinteger(L, 1);
    int block = lua_toboolean(L, 2), status = 0;
    pid_t got;
    do {
        got = waitpid(pid, &status, block ? 0 : WNOHANG);
    } while (got < 0 && errno == EINTR);
    if (got == 0) return 0;
    if (got < 0) return push_errno(L, "waitpid");
    if (WIFEXITED(status)) lua_pushinteger(L, WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) lua_pushinteger(L, 128 + WTERMSIG(status));
    else lua_pushinteger(L, 255);
    return 1;
}

/***
Sends SIGTERM (or SIGKILL with `hard`) to a process.
@function process_kill
@tparam integer pid
@tparam[opt] boolean hard
*/
static int l_kill(lua_State *L) {
    pid_t pid = (pid_t)luaL_checkinteger(L, 1);
    luaL_argcheck(L, pid > 0, 1, "a process id expected");
    lua_pushboolean(L, kill(pid, lua_toboolean(L, 2) ? SIGKILL : SIGTERM) == 0);
    return 1;
}

/***
Sleeps a number of milliseconds (returns early on a signal).
@function process_sleep
@tparam integer ms
*/
static int l_sleep(lua_State *L) {
    lua_Integer ms = luaL_checkinteger(L, 1);
    struct timespec ts;
    if (ms < 0) ms = 0;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
    return 0;
}

/***
Whether standard output and standard error are terminals, and whether they
are the same one (then a progress line must not cut a report line).
@function process_terminals
@treturn boolean stdout is a terminal
@treturn boolean stderr is a terminal
@treturn boolean both are the same terminal
*/
static int l_terminals(lua_State *L) {
    struct stat a, b;
    int out = isatty(1), err = isatty(2);
    int same = out && err && fstat(1, &a) == 0 && fstat(2, &b) == 0 &&
               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    lua_pushboolean(L, out);
    lua_pushboolean(L, err);
    lua_pushboolean(L, same);
    return 3;
}

FILE *bhl_file_arg(lua_State *L, int idx) {
    /* Lua 5.2 on marks a closed file by its luaL_Stream's closef; Lua 5.1
    ** (FILE **) and LuaJIT (whose handle starts with its FILE *) by a NULL
    ** FILE. */
#if LUA_VERSION_NUM >= 502
    luaL_Stream *s = luaL_checkudata(L, idx, LUA_FILEHANDLE);
    if (s->closef == NULL || s->f == NULL) luaL_argerror(L, idx, "a closed file");
    return s->f;
#else
    FILE **f = luaL_checkudata(L, idx, "FILE*");   /* lualib.h's LUA_FILEHANDLE */
    if (*f == NULL) luaL_argerror(L, idx, "a closed file");
    return *f;
#endif
}

/* nil, the error's message, "read" or "write", and its number: 4. */
static int copy_failed(lua_State *L, FILE *f, const char *what) {
    int e = errno;
    clearerr(f);
    lua_pushnil(L);
    lua_pushstring(L, e ? strerror(e) : "I/O error");
    lua_pushstring(L, what);
    lua_pushinteger(L, e);
    return 4;
}

/* The length of the whole lines at the head of p[0..n): up to the last
** "\n", 0 when there is none. */
static size_t whole_lines(const char *p, size_t n) {
    while (n > 0 && p[n - 1] != '\n') n--;
    return n;
}

/***
Copies a file from byte `from` to another file, in C with no Lua string
in between (a --jobs child's output into the run's). With whole_lines it
stops after the last line break read, so a half-written line of a running
child waits for the next copy. Reading starts afresh at `from` (the end of
file mark cleared), so a file still being written can be followed.
@function process_copy
@tparam file from_file
@tparam file to_file
@tparam integer from byte offset
@tparam[opt] boolean whole_lines
@treturn integer the offset reached, or nil, a message, "read" or "write"
  and the error number
*/
static int l_copy(lua_State *L) {
    FILE *in = bhl_file_arg(L, 1), *out = bhl_file_arg(L, 2);
    lua_Integer from = luaL_checkinteger(L, 3);
    int lines = lua_toboolean(L, 4);
    char block[65536];
    luaL_argcheck(L, from >= 0, 3, "a byte offset");
    errno = 0;
    if (fseeko(in, (off_t)from, SEEK_SET) != 0) return copy_failed(L, in, "read");
    for (;;) {
        size_t got = fread(block, 1, sizeof block, in), keep = got;
        if (got == 0) {
            if (ferror(in)) return copy_failed(L, in, "read");
            break;
        }
        if (lines) keep = whole_lines(block, got);
        errno = 0;
        if (keep > 0 && fwrite(block, 1, keep, out) != keep) return copy_failed(L, out, "write");
        from += (lua_Integer)keep;
        if (keep < got) break;   /* a line still being written */
    }
    lua_pushinteger(L, from);
    return 1;
}

static const luaL_Reg process_functions[] = {
    {"process_copy", l_copy},
    {"process_catch", l_catch},
    {"process_signal", l_signal},
    {"process_mkdtemp", l_mkdtemp},
    {"process_rmtree", l_rmtree},
    {"process_spawn", l_spawn},
    {"process_wait", l_wait},
    {"process_kill", l_kill},
    {"process_sleep", l_sleep},
    {"process_terminals", l_terminals},
    {NULL, NULL}
};

void bhl_open_process(lua_State *L) {
    bhc_setfuncs(L, process_functions, 0);
    lua_pushinteger(L, EPIPE);
    lua_setfield(L, -2, "process_EPIPE");
}
