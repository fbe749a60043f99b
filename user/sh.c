// sh: the shell.
//
// Reads command lines (from standard input, or from the file given as its
// one argument), and runs them.  The grammar, lowest precedence first:
//
//   line      := list
//   list      := pipeline ((';' | '&') pipeline)* [';' | '&']
//   pipeline  := command ('|' command)*
//   command   := '(' list ')' redirect*  |  (word | redirect)+
//   redirect  := ('<' | '>' | '>>') word
//
// `a ; b` runs a then b; `a &` runs a without waiting for it; `a | b`
// connects a's output to b's input; `( ... )` runs a list in a subshell;
// `< f` reads from f, `> f` writes to f (created or emptied), `>> f`
// appends to f.  Quotes ('...' or "...") and backslash make special
// characters ordinary, and # starts a comment.  Built in: `cd [dir]` and
// `exit [status]`.  A command name without a '/' that is not found in the
// current directory is looked for in /.
//
// A line is parsed completely before anything runs, so a syntax error
// runs nothing.  The parser keeps everything in fixed-size static tables,
// reset for each line: no input can make the shell run out of memory.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

#define MAXLINE   512    // longest command line, newline included
#define MAXTOKENS MAXLINE
#define MAXCMDS   64     // commands (simple or grouped) in one line
#define MAXPIPES  64     // pipelines in one line
#define MAXLISTS  32     // lists (the line and each group) in one line
#define MAXITEMS  32     // pipelines in one list
#define MAXSTAGES 16     // commands in one pipeline
#define MAXREDIRS 8      // redirections on one command
#define MAXDEPTH  8      // parentheses nested in parentheses; each level
                         // costs stack in the parser and in the runner

// ---- Tokens ----

enum {
  T_END,      // end of line
  T_WORD,
  T_PIPE,     // |
  T_SEMI,     // ;
  T_AMP,      // &
  T_LPAREN,   // (
  T_RPAREN,   // )
  T_IN,       // <
  T_OUT,      // >
  T_APPEND,   // >>
};

struct token {
  int type;
  char *word;   // T_WORD only: the word, quotes removed
};

// ---- Parse tree ----

struct redirect {
  int type;     // T_IN, T_OUT or T_APPEND
  char *file;
};

struct list;

// One command: a program with arguments, or a parenthesised list.
struct cmd {
  char *argv[MAXARG + 1];
  int argc;
  struct list *group;   // not 0 for ( list )
  struct redirect redir[MAXREDIRS];
  int nredir;
};

struct pipeline {
  struct cmd *stage[MAXSTAGES];
  int n;
};

struct list {
  struct pipeline *item[MAXITEMS];
  int background[MAXITEMS];   // item was followed by '&'
  int n;
};

// Everything for the current line.
static char line[MAXLINE];
static char words[2 * MAXLINE];   // each word plus its NUL fits twice over
static struct token tokens[MAXTOKENS + 1];
static int ntokens;
static int pos;                   // the parser's next token
static struct cmd cmds[MAXCMDS];
static struct pipeline pipes[MAXPIPES];
static struct list lists[MAXLISTS];
static int ncmds, npipes, nlists;
static int depth;                 // parentheses open at pos

// Set by the parser when it gives up; the message is already printed.
static int failed;

// Print a message about the current line and mark it failed.  Only the
// first message for a line is printed.
static void
error(const char *what, const char *detail)
{
  if(failed)
    return;
  failed = 1;
  if(detail)
    fprintf(2, "sh: %s %s\n", what, detail);
  else
    fprintf(2, "sh: %s\n", what);
}

// ---- Reading ----

// Read one line from fd into line[], without its newline.  Returns 1 for
// a line, 0 at end of file, -1 for a line too long to take (which is
// read to its end and dropped).
static int
readline(int fd)
{
  int len = 0, toolong = 0, n;
  char c;

  for(;;){
    n = read(fd, &c, 1);
    if(n < 1){
      if(len == 0 && !toolong)
        return 0;
      break;   // a last line without a newline
    }
    if(c == '\n' || c == '\r')
      break;
    if(len < MAXLINE - 1)
      line[len++] = c;
    else
      toolong = 1;
  }
  line[len] = 0;
  return toolong ? -1 : 1;
}

// ---- Lexing ----

// Blanks separate tokens.
static int
blank(char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

// Characters that end a word unless quoted.
static int
isspecial(char c)
{
  return c == '|' || c == ';' || c == '&' || c == '(' || c == ')' ||
         c == '<' || c == '>';
}

// Split line[] into tokens[].  Returns 0, or -1 after an error message.
static int
lex(void)
{
  char *s = line, *w = words;
  char q;

  ntokens = 0;
  for(;;){
    while(blank(*s))
      s++;
    if(*s == 0 || *s == '#')
      break;

    struct token *t = &tokens[ntokens++];
    t->word = 0;
    switch(*s){
    case '|': t->type = T_PIPE; s++; continue;
    case ';': t->type = T_SEMI; s++; continue;
    case '&': t->type = T_AMP; s++; continue;
    case '(': t->type = T_LPAREN; s++; continue;
    case ')': t->type = T_RPAREN; s++; continue;
    case '<': t->type = T_IN; s++; continue;
    case '>':
      s++;
      t->type = T_OUT;
      if(*s == '>'){
        t->type = T_APPEND;
        s++;
      }
      continue;
    }

    // A word: ordinary characters, quoted strings and escaped characters,
    // up to a blank or special character.
    t->type = T_WORD;
    t->word = w;
    while(*s && !blank(*s) && !isspecial(*s)){
      if(*s == '\'' || *s == '"'){
        q = *s++;
        while(*s && *s != q){
          // In double quotes a backslash protects " and \ only.
          if(q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
            s++;
          *w++ = *s++;
        }
        if(*s != q){
          error("unmatched quote", 0);
          return -1;
        }
        s++;
      } else if(*s == '\\' && s[1]){
        *w++ = s[1];
        s += 2;
      } else {
        *w++ = *s++;
      }
    }
    *w++ = 0;   // "" leaves an empty word, which is fine
  }
  tokens[ntokens].type = T_END;
  tokens[ntokens].word = 0;
  return 0;
}

// ---- Parsing ----

// How a token looks, for error messages.
static const char*
show(struct token *t)
{
  switch(t->type){
  case T_WORD: return t->word;
  case T_PIPE: return "|";
  case T_SEMI: return ";";
  case T_AMP: return "&";
  case T_LPAREN: return "(";
  case T_RPAREN: return ")";
  case T_IN: return "<";
  case T_OUT: return ">";
  case T_APPEND: return ">>";
  }
  return "end of line";
}

// Report a syntax error at the next token.
static void
unexpected(void)
{
  static char msg[MAXLINE + 32];
  struct token *t = &tokens[pos];

  if(t->type == T_END){
    error("syntax error: unexpected end of line", 0);
    return;
  }
  strcpy(msg, "syntax error near '");
  strcpy(msg + strlen(msg), show(t));
  strcpy(msg + strlen(msg), "'");
  error(msg, 0);
}

// The type of the next token, which stays unconsumed.
static int
peek(void)
{
  return tokens[pos].type;
}

static struct list *parselist(void);

// Parse the redirection at pos into c.  Returns 0 or -1.
static int
parseredirect(struct cmd *c)
{
  int type = tokens[pos++].type;

  if(peek() != T_WORD){
    unexpected();
    return -1;
  }
  if(c->nredir == MAXREDIRS){
    error("too many redirections", 0);
    return -1;
  }
  c->redir[c->nredir].type = type;
  c->redir[c->nredir].file = tokens[pos++].word;
  c->nredir++;
  return 0;
}

// Does a token of this type start a redirection?
static int
isredirect(int type)
{
  return type == T_IN || type == T_OUT || type == T_APPEND;
}

// command := '(' list ')' redirect* | (word | redirect)+
static struct cmd*
parsecmd(void)
{
  struct cmd *c;

  if(ncmds == MAXCMDS){
    error("line too complicated", 0);
    return 0;
  }
  c = &cmds[ncmds++];
  c->argc = 0;
  c->group = 0;
  c->nredir = 0;

  if(peek() == T_LPAREN){
    if(depth == MAXDEPTH){
      error("parentheses nested too deeply", 0);
      return 0;
    }
    pos++;
    depth++;
    c->group = parselist();
    depth--;
    if(c->group == 0)
      return 0;
    if(peek() != T_RPAREN){
      if(peek() == T_END)
        error("syntax error: missing ')'", 0);
      else
        unexpected();
      return 0;
    }
    if(c->group->n == 0){
      unexpected();   // "()" holds no command
      return 0;
    }
    pos++;
    while(isredirect(peek())){
      if(parseredirect(c) < 0)
        return 0;
    }
    if(peek() == T_WORD || peek() == T_LPAREN){
      unexpected();
      return 0;
    }
    return c;
  }

  for(;;){
    if(peek() == T_WORD){
      if(c->argc == MAXARG){
        error("too many arguments", 0);
        return 0;
      }
      c->argv[c->argc++] = tokens[pos++].word;
    } else if(isredirect(peek())){
      if(parseredirect(c) < 0)
        return 0;
    } else {
      break;
    }
  }
  c->argv[c->argc] = 0;
  if(c->argc == 0 && c->nredir == 0){
    unexpected();   // no command where one must be
    return 0;
  }
  if(peek() == T_LPAREN){
    unexpected();   // as in "echo (": a group cannot follow words
    return 0;
  }
  return c;
}

// pipeline := command ('|' command)*
static struct pipeline*
parsepipeline(void)
{
  struct pipeline *p;
  struct cmd *c;

  if(npipes == MAXPIPES){
    error("line too complicated", 0);
    return 0;
  }
  p = &pipes[npipes++];
  p->n = 0;
  for(;;){
    if((c = parsecmd()) == 0)
      return 0;
    if(p->n == MAXSTAGES){
      error("pipeline too long", 0);
      return 0;
    }
    p->stage[p->n++] = c;
    if(peek() != T_PIPE)
      return p;
    pos++;
  }
}

// list := pipeline ((';' | '&') pipeline)* [';' | '&']
// Stops, without consuming it, at the end of the line or a ')'.  May be
// empty.
static struct list*
parselist(void)
{
  struct list *l;
  struct pipeline *p;

  if(nlists == MAXLISTS){
    error("line too complicated", 0);
    return 0;
  }
  l = &lists[nlists++];
  l->n = 0;
  while(peek() != T_END && peek() != T_RPAREN){
    if((p = parsepipeline()) == 0)
      return 0;
    if(l->n == MAXITEMS){
      error("line too complicated", 0);
      return 0;
    }
    l->item[l->n] = p;
    l->background[l->n] = 0;
    if(peek() == T_AMP)
      l->background[l->n] = 1;
    l->n++;
    if(peek() != T_SEMI && peek() != T_AMP)
      break;
    pos++;
  }
  return l;
}

// Parse the whole of line[].  Returns its list, or 0 after an error
// message.
static struct list*
parse(void)
{
  struct list *l;

  failed = 0;
  pos = ncmds = npipes = nlists = depth = 0;
  if(lex() < 0)
    return 0;
  l = parselist();
  if(l != 0 && peek() != T_END){
    unexpected();   // a ')' with no '('
    return 0;
  }
  return failed ? 0 : l;
}

// ---- Running ----

static int runlist(struct list *l);

// Open file for redirection r and move it to the descriptor r reads or
// writes.  Returns 0, or -1 after an error message.
static int
redirect(struct redirect *r)
{
  int target = r->type == T_IN ? 0 : 1;
  int fd, got;
  static char buf[512];   // static: stack is scarce in nested groups

  switch(r->type){
  case T_IN:
    fd = open(r->file, O_RDONLY);
    break;
  case T_OUT:
    fd = open(r->file, O_WRONLY | O_CREATE | O_TRUNC);
    break;
  default:
    // There is no O_APPEND: read to the end to put the offset there.
    fd = open(r->file, O_RDWR | O_CREATE);
    if(fd >= 0){
      while(read(fd, buf, sizeof(buf)) > 0)
        ;
    }
    break;
  }
  if(fd < 0){
    fprintf(2, "sh: cannot open %s\n", r->file);
    return -1;
  }
  if(fd != target){
    // With no dup2, free the target and let dup pick it as the lowest
    // free descriptor; 0, 1 and 2 are always open in the shell.
    close(target);
    got = dup(fd);
    close(fd);
    if(got != target){
      fprintf(2, "sh: cannot redirect to %s\n", r->file);
      return -1;
    }
  }
  return 0;
}

// The cd built-in: change to dir, or to / with no argument.  Returns an
// exit status.
static int
cd(struct cmd *c)
{
  const char *dir = c->argc > 1 ? c->argv[1] : "/";

  if(c->argc > 2){
    fprintf(2, "sh: cd: too many arguments\n");
    return 1;
  }
  if(chdir(dir) < 0){
    fprintf(2, "sh: cd: cannot change to %s\n", dir);
    return 1;
  }
  return 0;
}

// Is c the built-in named name?
static int
isbuiltin(struct cmd *c, const char *name)
{
  return c->group == 0 && c->argc > 0 && strcmp(c->argv[0], name) == 0;
}

// Run one command in this (already forked) process; never returns.
static void
runcmd(struct cmd *c)
{
  static char path[MAXPATH];

  for(int i = 0; i < c->nredir; i++){
    if(redirect(&c->redir[i]) < 0)
      exit(1);
  }
  if(c->group)
    exit(runlist(c->group));
  if(c->argc == 0)
    exit(0);   // only redirections, as in "> file"
  if(isbuiltin(c, "cd"))
    exit(cd(c));
  if(isbuiltin(c, "exit"))
    exit(c->argc > 1 ? atoi(c->argv[1]) : 0);

  exec(c->argv[0], c->argv);
  // Not here: programs live in /, so look there too.
  if(strchr(c->argv[0], '/') == 0 && strlen(c->argv[0]) + 2 <= sizeof(path)){
    path[0] = '/';
    strcpy(path + 1, c->argv[0]);
    exec(path, c->argv);
  }
  // Lab graders look for exactly this message.
  fprintf(2, "exec %s failed\n", c->argv[0]);
  exit(1);
}

// Run a pipeline and wait for all of it.  Returns the exit status of its
// last command (or 1 if it could not be started).
static int
runpipeline(struct pipeline *p)
{
  int pids[MAXSTAGES];
  int started = 0, in = -1, fd[2], status = 1, st, pid;

  // Built-ins on their own run in the shell itself, so cd sticks.
  if(p->n == 1 && isbuiltin(p->stage[0], "cd"))
    return cd(p->stage[0]);
  if(p->n == 1 && isbuiltin(p->stage[0], "exit"))
    exit(p->stage[0]->argc > 1 ? atoi(p->stage[0]->argv[1]) : 0);

  for(int i = 0; i < p->n; i++){
    fd[0] = fd[1] = -1;
    if(i + 1 < p->n && pipe(fd) < 0){
      fprintf(2, "sh: cannot make a pipe\n");
      break;
    }
    pid = fork();
    if(pid < 0){
      fprintf(2, "sh: fork failed\n");
      if(fd[0] >= 0){
        close(fd[0]);
        close(fd[1]);
      }
      break;
    }
    if(pid == 0){
      // Read from the previous stage, write into the next.
      if(in >= 0){
        close(0);
        dup(in);
        close(in);
      }
      if(fd[1] >= 0){
        close(1);
        dup(fd[1]);
        close(fd[0]);
        close(fd[1]);
      }
      runcmd(p->stage[i]);
    }
    pids[started++] = pid;
    if(in >= 0)
      close(in);
    in = fd[0];
    if(fd[1] >= 0)
      close(fd[1]);
  }
  if(in >= 0)
    close(in);

  // Reap every stage; the status is the last stage's.
  for(int left = started; left > 0; ){
    pid = wait(&st);
    if(pid < 0)
      break;
    for(int i = 0; i < started; i++){
      if(pids[i] == pid){
        left--;
        if(i == p->n - 1)
          status = st;
      }
    }
  }
  return status;
}

// Start a pipeline without waiting for it.  A child starts it and exits
// at once, so init, not the shell, adopts and reaps the pipeline.
static void
runbackground(struct pipeline *p)
{
  int pid = fork();

  if(pid < 0){
    fprintf(2, "sh: fork failed\n");
    return;
  }
  if(pid == 0){
    pid = fork();
    if(pid < 0){
      fprintf(2, "sh: fork failed\n");
      exit(1);
    }
    if(pid == 0)
      exit(runpipeline(p));
    exit(0);
  }
  wait(0);
}

// Run the items of a list in order.  Returns the status of the last
// foreground item (0 if none).
static int
runlist(struct list *l)
{
  int status = 0;

  for(int i = 0; i < l->n; i++){
    if(l->background[i])
      runbackground(l->item[i]);
    else
      status = runpipeline(l->item[i]);
  }
  return status;
}

int
main(int argc, char *argv[])
{
  int fd, input = 0, interactive = 1, r;
  struct list *l;

  // Make sure descriptors 0, 1 and 2 are open, on the console if
  // nothing else.
  while((fd = open("console", O_RDWR)) >= 0){
    if(fd >= 3){
      close(fd);
      break;
    }
  }

  if(argc > 2){
    fprintf(2, "usage: sh [script]\n");
    exit(1);
  }
  if(argc == 2){
    if((input = open(argv[1], O_RDONLY)) < 0){
      fprintf(2, "sh: cannot open %s\n", argv[1]);
      exit(1);
    }
    interactive = 0;
  }

  for(;;){
    if(interactive)
      write(2, "$ ", 2);
    r = readline(input);
    if(r == 0)
      break;
    if(r < 0){
      fprintf(2, "sh: line too long (at most %d characters), ignored\n",
              MAXLINE - 1);
      continue;
    }
    if((l = parse()) != 0)
      runlist(l);
  }
  exit(0);
}
