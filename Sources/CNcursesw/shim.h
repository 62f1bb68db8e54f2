/* The C face of ncursesw for Swift: the wide-character API switched on, inline wrappers for the
   function-like macros Swift cannot import, accessors for curses' globals (Swift 6 refuses
   unsynchronised C globals), and crash handlers that give the terminal back before a trap. */
#ifndef CREDITDESK_NCURSES_SHIM_H
#define CREDITDESK_NCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Hidden by the Glibc module: the cell width of one character (-1 for non-printables). */
int wcwidth(wchar_t c);

/* curses' globals, read through functions. */
static inline WINDOW *_Nonnull cd_stdscr(void) { return stdscr; }
static inline int cd_lines(void) { return LINES; }
static inline int cd_cols(void) { return COLS; }
static inline int cd_colors(void) { return COLORS; }
static inline int cd_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *_Nonnull cd_stdout(void) { return stdout; }
static inline FILE *_Nonnull cd_stdin(void) { return stdin; }

/* Attribute and colour-pair macros. */
static inline attr_t cd_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t cd_a_normal(void) { return A_NORMAL; }
static inline attr_t cd_a_bold(void) { return A_BOLD; }
static inline attr_t cd_a_dim(void) { return A_DIM; }
static inline attr_t cd_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cd_a_reverse(void) { return A_REVERSE; }
static inline attr_t cd_a_italic(void) { return A_ITALIC; }

/* Mouse masks. */
static inline mmask_t cd_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t cd_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t cd_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t cd_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED; }
static inline mmask_t cd_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cd_button5_pressed(void) { return BUTTON5_PRESSED; }

/* Writes a control sequence to the terminal curses draws on, at once. */
static inline int cd_write_sequence(FILE *_Nonnull output, const char *_Nonnull sequence) {
    int status = fputs(sequence, output);
    fflush(output);
    return status;
}

/* Signals a Swift trap or a crash raises, whose handlers restore the terminal first. */
static inline struct sigaction *_Nonnull cd_previous_actions(void) {
    static struct sigaction storage[32];
    return storage;
}

/* The descriptor the terminal's private modes were switched on through (-1: none). */
static inline volatile int *_Nonnull cd_modes_descriptor(void) {
    static volatile int descriptor = -1;
    return &descriptor;
}

/* The sequence that switches bracketed paste (xterm mode 2004) and SGR mouse reports off. */
#define CD_MODES_OFF "\033[?2004l\033[?1006l"

/* Remembers where to switch the modes off on a crash (-1: nowhere). */
static inline void cd_set_modes_descriptor(int descriptor) { *cd_modes_descriptor() = descriptor; }

/* Switches the terminal's private modes off with write(2), which a signal handler may call. */
static inline void cd_terminal_modes_off(void) {
    int descriptor = *cd_modes_descriptor();
    if (descriptor >= 0) { ssize_t written = write(descriptor, CD_MODES_OFF, sizeof CD_MODES_OFF - 1); (void)written; }
}

/* Gives the terminal back, runs the previous handler (Swift's backtracer, which prints the crash
   report), then makes sure the process ends by the signal's default action: a previous handler
   that returns (as Swift's may, for a signal sent from outside) must not leave the console
   running, since its next frame would take the terminal back into curses. */
static void cd_crash_handler(int signo, siginfo_t *info, void *context) {
    endwin();
    cd_terminal_modes_off();
    if (signo > 0 && signo < 32) {
        struct sigaction previous = cd_previous_actions()[signo];
        sigaction(signo, &previous, NULL);
        if ((previous.sa_flags & SA_SIGINFO) && previous.sa_sigaction) {
            previous.sa_sigaction(signo, info, context);
        } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler) {
            previous.sa_handler(signo);
        }
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

/* Installs the crash handlers for SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS and SIGFPE. */
static inline void cd_install_crash_handlers(void) {
    int signals[] = { SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_sigaction = cd_crash_handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND | SA_SIGINFO;
        struct sigaction replaced;
        sigaction(signals[i], &action, &replaced);
        if (replaced.sa_sigaction != cd_crash_handler) { cd_previous_actions()[signals[i]] = replaced; }
    }
}

/* Puts the crash handlers back in front if something installed its own after them (the Swift
   runtime can set up its backtracer's handlers after the console has started); theirs then run
   after ours. Cheap enough to call before every frame. */
static inline void cd_ensure_crash_handlers(void) {
    struct sigaction current;
    if (sigaction(SIGSEGV, NULL, &current) == 0 && current.sa_sigaction != cd_crash_handler) {
        cd_install_crash_handlers();
    }
}

/* Puts back whatever handled those signals before the console started. */
static inline void cd_remove_crash_handlers(void) {
    int signals[] = { SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], &cd_previous_actions()[signals[i]], NULL);
    }
}

/* The terminating signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) that asked the console to stop, or 0. */
static inline volatile sig_atomic_t *_Nonnull cd_stop_flag(void) {
    static volatile sig_atomic_t received = 0;
    return &received;
}

static void cd_stop_handler(int signo) { *cd_stop_flag() = signo; }

/* Routes SIGTERM, SIGHUP, SIGINT and SIGQUIT to a flag the run loop reads, so it leaves by its
   normal path (terminal restored, scratch files removed). Installed after newterm, replacing
   curses' and the Swift runtime's (whose backtracer would print a crash report over the screen
   for a SIGQUIT sent from outside, and wait at an interactive prompt). */
static inline void cd_install_stop_handlers(void) {
    int signals[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = cd_stop_handler;
        sigemptyset(&action.sa_mask);
        sigaction(signals[i], &action, NULL);
    }
}

/* Stops the process group as a shell's Ctrl-Z would: SIGTSTP with its default action (not
   curses' handler, which would leave curses a second time), then the previous action back once
   SIGCONT resumes us. Call after endwin(). */
static inline void cd_suspend_process_group(void) {
    struct sigaction stop, previous;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = SIG_DFL;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTSTP, &stop, &previous);
    sigset_t tstp, old;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &tstp, &old);
    kill(0, SIGTSTP);
    sigprocmask(SIG_SETMASK, &old, NULL);
    sigaction(SIGTSTP, &previous, NULL);
}

/* The stop signal received so far, or 0. */
static inline int cd_stop_signal(void) { return (int)*cd_stop_flag(); }

/* Sets a wide character with attributes and a colour pair into a cell, for mvwadd_wch. */
static inline int cd_setcchar(cchar_t *_Nonnull cell, const wchar_t *_Nonnull text, attr_t attrs, short pair) {
    return setcchar(cell, text, attrs, pair, NULL);
}

#endif
