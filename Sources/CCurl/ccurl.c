#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* The libcurl functions Gatehouse calls, resolved by load() from libcurl.so.4. */
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded = 0;
static char load_error[512] = "libcurl was not loaded yet";

#define RESOLVE(field, name)                                                                       \
    do {                                                                                           \
        *(void **)(&api.field) = dlsym(library, name);                                             \
        if (api.field == NULL) {                                                                   \
            snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", name);               \
            return;                                                                                \
        }                                                                                          \
    } while (0)

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load libcurl.so.4: %s", reason ? reason : "unknown error");
        return;
    }
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_perform, "curl_easy_perform");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    loaded = 1;
}

CURLcode ccurl_global_init(long flags) {
    pthread_once(&load_once, load);
    return loaded ? api.global_init(flags) : CURLE_FAILED_INIT;
}

const char *ccurl_load_error(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_error;
}

/* Every other entry point is reached only after ccurl_global_init succeeded (CurlHTTPClient.globalInit),
   but each still checks, so a missing library is an error, never a call through NULL. */
CURL *ccurl_easy_init(void) { return loaded ? api.easy_init() : NULL; }
void ccurl_easy_cleanup(CURL *handle) { if (loaded) api.easy_cleanup(handle); }
CURLcode ccurl_easy_perform(CURL *handle) { return loaded ? api.easy_perform(handle) : CURLE_FAILED_INIT; }
const char *ccurl_easy_strerror(CURLcode code) { return loaded ? api.easy_strerror(code) : load_error; }
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) {
    return loaded ? api.slist_append(list, text) : NULL;
}
void ccurl_slist_free_all(struct curl_slist *list) { if (loaded) api.slist_free_all(list); }

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback value) {
    return loaded ? api.easy_setopt(handle, option, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_progress_callback(CURL *handle, ccurl_progress_callback value) {
    return loaded ? api.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value) : CURLE_FAILED_INIT;
}
CURLcode ccurl_setopt_post_body(CURL *handle, const char *bytes, long length) {
    if (!loaded) return CURLE_FAILED_INIT;
    CURLcode code = api.easy_setopt(handle, CURLOPT_POSTFIELDSIZE, length);
    if (code != CURLE_OK) return code;
    return api.easy_setopt(handle, CURLOPT_COPYPOSTFIELDS, bytes);
}
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return loaded ? api.easy_getinfo(handle, info, value) : CURLE_FAILED_INIT;
}
