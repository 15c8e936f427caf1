/* The floor for a stdio MCP client: pipes and hand-written JSON-RPC lines, nothing else.
 *   rawclient COUNT PARAMS -- COMMAND [ARGS...]
 * Starts COMMAND, performs the legacy handshake (initialize, notifications/initialized) — or, with
 * RAWCLIENT_META set to a 2026-07-28 request _meta object, that era's server/discover carrying it — then sends COUNT
 * sequential tools/call requests with the JSON PARAMS, each waiting for its response, and prints
 *   {"latencies_us": [...], "cpu_us_per_call": C, "wall_s": W}
 * where C is this process's own user+system CPU over the calls (the server's is not counted), plus
 * "start_to_first_s": from starting COMMAND to the first answer after the handshake. RAWCLIENT_METHOD names
 * another method than tools/call (e.g. tools/list, with PARAMS {}). Against
 * bench/echo_server.c it is the bare pipe ping-pong of the same bytes a client sends. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
    struct timespec spec;
    clock_gettime(CLOCK_MONOTONIC, &spec);
    return (double)spec.tv_sec + (double)spec.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 + (double)usage.ru_stime.tv_sec +
           (double)usage.ru_stime.tv_usec / 1e6;
}

static void send_line(int descriptor, const char *line) {
    size_t length = strlen(line), offset = 0;
    while (offset < length) {
        ssize_t written = write(descriptor, line + offset, length - offset);
        if (written <= 0) { perror("write"); exit(1); }
        offset += (size_t)written;
    }
}

/* True when the line is the response with this id ("id":N or "id": N, followed by a non-digit). */
static int is_response(const char *line, long id) {
    char key[64];
    for (int spaced = 0; spaced < 2; spaced++) {
        int length = snprintf(key, sizeof key, spaced ? "\"id\": %ld" : "\"id\":%ld", id);
        for (const char *at = strstr(line, key); at; at = strstr(at + 1, key)) {
            char next = at[length];
            if (next < '0' || next > '9') return 1;
        }
    }
    return 0;
}

static void await_response(FILE *input, long id, char **line, size_t *capacity) {
    while (getline(line, capacity, input) > 0) {
        if (is_response(*line, id)) return;
    }
    fprintf(stderr, "rawclient: the server closed its output before answering request %ld\n", id);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: rawclient COUNT PARAMS -- COMMAND [ARGS...]\n");
        return 2;
    }
    long count = atol(argv[1]);
    const char *params = argv[2];
    int to_server[2], from_server[2];
    if (pipe(to_server) != 0 || pipe(from_server) != 0) { perror("pipe"); return 1; }
    signal(SIGPIPE, SIG_IGN);
    const char *method = getenv("RAWCLIENT_METHOD") ? getenv("RAWCLIENT_METHOD") : "tools/call";
    double spawned = now_seconds(), first = 0;
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        dup2(to_server[0], 0);
        dup2(from_server[1], 1);
        close(to_server[0]); close(to_server[1]); close(from_server[0]); close(from_server[1]);
        execvp(argv[4], argv + 4);
        perror("exec");
        _exit(127);
    }
    close(to_server[0]);
    close(from_server[1]);
    FILE *input = fdopen(from_server[0], "r");
    char *line = NULL;
    size_t capacity = 0;
    const char *modern = getenv("RAWCLIENT_META");
    if (modern) {  /* 2026-07-28: server/discover with the request _meta; PARAMS carry the same _meta */
        size_t size = strlen(modern) + 128;
        char *discover = malloc(size);
        snprintf(discover, size, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"server/discover\",\"params\":{\"_meta\":%s}}\n", modern);
        send_line(to_server[1], discover);
        free(discover);
        await_response(input, 0, &line, &capacity);
    } else {
        send_line(to_server[1], "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"rawclient\",\"version\":\"1\"}}}\n");
        await_response(input, 0, &line, &capacity);
        send_line(to_server[1], "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
    }
    double *latencies = calloc((size_t)(count > 0 ? count : 1), sizeof(double));
    size_t request_size = strlen(params) + strlen(method) + 128;
    char *request = malloc(request_size);
    double cpu_start = cpu_seconds(), wall_start = now_seconds();
    for (long id = 1; id <= count; id++) {
        snprintf(request, request_size, "{\"jsonrpc\":\"2.0\",\"id\":%ld,\"method\":\"%s\",\"params\":%s}\n", id, method, params);
        double start = now_seconds();
        send_line(to_server[1], request);
        await_response(input, id, &line, &capacity);
        latencies[id - 1] = (now_seconds() - start) * 1e6;
        if (id == 1) first = now_seconds() - spawned;
    }
    double wall = now_seconds() - wall_start, cpu = cpu_seconds() - cpu_start;
    close(to_server[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("{\"latencies_us\": [");
    for (long index = 0; index < count; index++) printf("%s%.2f", index ? ", " : "", latencies[index]);
    printf("], \"cpu_us_per_call\": %.2f, \"wall_s\": %.6f, \"start_to_first_s\": %.6f}\n",
           count ? cpu / (double)count * 1e6 : 0.0, wall, first);
    free(latencies);
    free(request);
    free(line);
    return 0;
}
