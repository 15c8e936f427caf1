/* libedit: the readline-compatible API (editline/readline.h, never readline/readline.h, which would
   pick up GNU readline's declarations) and the native histedit API. el_set and history are variadic,
   so the REPL reaches them through the typed wrappers below. */
#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>
#include <histedit.h>

typedef char *(*cedit_prompt_function)(EditLine *);

static inline int cedit_set_prompt(EditLine *editor, cedit_prompt_function prompt) {
    return el_set(editor, EL_PROMPT, prompt);
}
static inline int cedit_set_editor(EditLine *editor, const char *mode) {
    return el_set(editor, EL_EDITOR, mode);
}
static inline int cedit_set_history(EditLine *editor, History *list) {
    return el_set(editor, EL_HIST, history, list);
}
static inline int cedit_history_set_size(History *list, HistEvent *event, int size) {
    return history(list, event, H_SETSIZE, size);
}
static inline int cedit_history_enter(History *list, HistEvent *event, const char *line) {
    return history(list, event, H_ENTER, line);
}
static inline int cedit_history_load(History *list, HistEvent *event, const char *path) {
    return history(list, event, H_LOAD, path);
}
static inline int cedit_history_save(History *list, HistEvent *event, const char *path) {
    return history(list, event, H_SAVE, path);
}
