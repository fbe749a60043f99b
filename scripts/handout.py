#!/usr/bin/env python3
"""Make a student tree for one lab: the repository with every lab's
solution taken out and the lab's starter code put in.

    python3 scripts/handout.py LAB DEST       (make handout LAB=... DEST=...)
    python3 scripts/handout.py --solved LAB DEST
                                              (make handout ... SOLVED=1: the
                                              tree of a student who solved
                                              it; the lab's grader must
                                              score full there)
    python3 scripts/handout.py --check        (only check the markers)

The repository's kernel is the complete one: each lab's feature is there,
with its tests.  Comment markers, each alone on its line, say what
belongs to a lab (any comment style: //, #, /* */, <!-- -->):

    lab NAME: begin [SNIPPET]     the lines from here to `lab NAME: end`
    lab NAME: end                 (markers included) are NAME's solution;
                                  a handout puts labs/NAME/snippets/SNIPPET
                                  in their place, or nothing
    lab NAME: solution            the whole file is NAME's solution
    lab NAME: handout             the file ships only in NAME's handout
                                  (the marker line is dropped)

A handout takes out the solutions of its own lab and of every other lab,
so no student tree holds any lab's answer, with one exception: a
foundation lab (its labs/NAME/grade.py says `FOUNDATION = True`), whose
work the other labs build on, keeps its solution in the other labs'
handouts and loses it only in its own.  Lab NAME's handout also gets the files under
labs/NAME/starter/ (at the same path below the tree's top),
docs/labs/NAME.md, NAME's grader (labs/grader.py, labs/labs.mk and the
rest of labs/NAME/) and conf/lab.mk with `LAB=NAME`.  It leaves out
.git, build products (it copies what git tracks, plus new files git does
not ignore), other labs' material, and the instructor's tools listed in
INSTRUCTOR_ONLY.  labs/README.md explains how to add a lab.
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Files that serve whoever makes handouts, never a student; and
# docs/sbrk.md, the tour of the complete kernel, which explains every
# lab's solution (the sbrk lab's text tells its story for students).
INSTRUCTOR_ONLY = {
    "docs/sbrk.md",
    "scripts/handout.py",
    "labs/README.md",
    "tests/test_labs.py",
    "tests/test_handout.py",
}

MARKER = re.compile(r"^\s*(?://|#|/\*|<!--)\s*lab ([A-Za-z0-9_-]+): "
                    r"(begin|end|solution|handout)(?:[ \t]+([A-Za-z0-9_.-]+))?"
                    r"\s*(?:\*/|-->)?\s*$")
# Anything that looks like the start of a marker: a line matching this but
# not MARKER is a typo, reported rather than shipped.
LOOKS_LIKE_MARKER = re.compile(r"^\s*(?://|#|/\*|<!--)\s*lab [A-Za-z0-9_-]+:")


class HandoutError(Exception):
    """A problem with the request or the markers; the message is one line."""


class Region:
    """Lines first..last (0-based, markers included) of lab `lab`'s
    solution, to be replaced by snippet `snippet` (None: by nothing)."""

    def __init__(self, lab, snippet, first, last, depth):
        self.lab, self.snippet = lab, snippet
        self.first, self.last, self.depth = first, last, depth


class Marks:
    """What the markers of one text file say."""

    def __init__(self, path, lines):
        self.path = path
        self.lines = lines          # the file's lines, ends kept
        self.regions = []           # every region, nested ones too
        self.owner = None           # (verb, lab, line) of a file marker

    def solution_lab(self):
        return self.owner[1] if self.owner and self.owner[0] == "solution" else None

    def handout_lab(self):
        return self.owner[1] if self.owner and self.owner[0] == "handout" else None

    def solution_lines(self, removed=None):
        """(lab, line) for every line of the solution of a lab in
        `removed` (None: of any lab), marker lines left out."""
        out = []
        if self.solution_lab() and (removed is None or self.solution_lab() in removed):
            out += [(self.solution_lab(), l) for i, l in enumerate(self.lines)
                    if i != self.owner[2]]
        for r in self.regions:
            if removed is None or r.lab in removed:
                out += [(r.lab, l) for l in self.lines[r.first + 1:r.last]
                        if not MARKER.match(l)]
        return out

    def base_lines(self, removed=None):
        """The lines outside every solution of a lab in `removed` (None:
        of any lab), marker lines left out."""
        if self.solution_lab() and (removed is None or self.solution_lab() in removed):
            return []
        inside = set()
        for r in self.regions:
            if removed is None or r.lab in removed:
                inside.update(range(r.first, r.last + 1))
        return [l for i, l in enumerate(self.lines)
                if i not in inside and not MARKER.match(l)]


def where(path, lineno):
    return "%s:%d" % (path, lineno + 1)


def parse(path, text, labs):
    """Read the markers of one file.  Raises HandoutError at the first
    malformed one, naming the file and line."""
    marks = Marks(path, text.splitlines(keepends=True))
    stack = []
    for i, line in enumerate(marks.lines):
        m = MARKER.match(line)
        if not m:
            if LOOKS_LIKE_MARKER.match(line):
                raise HandoutError("%s: not a marker this tool knows: %s"
                                   % (where(path, i), line.strip()))
            continue
        lab, verb, arg = m.groups()
        if lab not in labs:
            raise HandoutError("%s: marker for lab %r, which has no labs/%s/grade.py"
                               % (where(path, i), lab, lab))
        if verb != "begin" and arg:
            raise HandoutError("%s: `lab %s: %s` takes no name" % (where(path, i), lab, verb))
        if verb == "begin":
            stack.append((lab, arg, i))
        elif verb == "end":
            if not stack:
                raise HandoutError("%s: `lab %s: end` with no begin" % (where(path, i), lab))
            open_lab, snippet, first = stack.pop()
            if open_lab != lab:
                raise HandoutError("%s: `lab %s: end` closes the region of lab %s begun at line %d"
                                   % (where(path, i), lab, open_lab, first + 1))
            marks.regions.append(Region(lab, snippet, first, i, len(stack)))
        else:
            if marks.owner:
                raise HandoutError("%s: a second file marker (the first is at line %d)"
                                   % (where(path, i), marks.owner[2] + 1))
            if stack:
                raise HandoutError("%s: file marker inside a region" % where(path, i))
            marks.owner = (verb, lab, i)
    if stack:
        lab, _, first = stack[-1]
        raise HandoutError("%s: `lab %s: begin` has no end" % (where(path, first), lab))
    return marks


def render(marks, snippet_text, removed=None):
    """The file's text with the regions of the labs in `removed` (None:
    of every lab) replaced by their snippets (snippet_text(lab, name)
    gives one) and the marker lines of the other regions, and a handout
    marker line, dropped.  A removed region takes what it holds with it,
    nested regions included; a kept one is rendered in turn."""
    lines = marks.lines
    skip = {marks.owner[2]} if marks.owner else set()
    out = []

    def emit(lo, hi, depth):
        inner = sorted((r for r in marks.regions
                        if r.depth == depth and lo <= r.first and r.last < hi),
                       key=lambda r: r.first)
        i = lo
        for r in inner + [None]:
            stop = r.first if r else hi
            out.extend(l for j, l in enumerate(lines[i:stop], i) if j not in skip)
            if r is None:
                return
            if removed is not None and r.lab not in removed:
                emit(r.first + 1, r.last, depth + 1)   # kept: drop its markers only
            elif r.snippet:
                out.append(snippet_text(r.lab, r.snippet))
            elif (out and not out[-1].strip() and r.last + 1 < len(lines)
                  and not lines[r.last + 1].strip()):
                # A region that vanishes between two blank lines would
                # leave two blank lines behind: keep one.
                out.pop()
            i = r.last + 1

    emit(0, len(lines), 0)
    return "".join(out)


def find_labs(root):
    """The labs of the kit: the directories labs/NAME/ with a grade.py."""
    d = os.path.join(root, "labs")
    if not os.path.isdir(d):
        return []
    return sorted(n for n in os.listdir(d)
                  if os.path.isfile(os.path.join(d, n, "grade.py")))


FOUNDATION = re.compile(r"^FOUNDATION\s*=\s*True\s*(#.*)?$", re.M)


def foundation_labs(root):
    """The labs whose grade.py says `FOUNDATION = True`: their solution
    stays in every other lab's handout."""
    out = set()
    for name in find_labs(root):
        with open(os.path.join(root, "labs", name, "grade.py")) as f:
            if FOUNDATION.search(f.read()):
                out.add(name)
    return out


def removed_labs(root, lab):
    """The labs whose solutions lab's handout takes out: its own, and
    every lab that is not a foundation."""
    return {lab} | (set(find_labs(root)) - foundation_labs(root))


def tracked_files(root):
    """The repository's files, as git sees them: tracked ones and new ones
    it does not ignore (so a lab being written can be tried before it is
    committed), without those deleted from the working tree."""
    try:
        r = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached",
                            "--others", "--exclude-standard"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    except (OSError, subprocess.CalledProcessError):
        raise HandoutError("%s is not a git checkout; handouts are made from the "
                           "full repository" % root)
    names = sorted(set(n for n in r.stdout.decode().split("\0") if n))
    return [n for n in names if os.path.isfile(os.path.join(root, n))]


def read_text(root, rel):
    """The file's text, or None for a binary file."""
    with open(os.path.join(root, rel), "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def lab_material(rel):
    """The lab a path belongs to as lab material (labs/NAME/...,
    docs/labs/NAME.md, docs/labs/NAME/...), or None.  Lab material holds
    no markers; a handout copies its own lab's as it is, and no other."""
    parts = rel.split("/")
    if len(parts) >= 3 and parts[0] == "labs":
        return parts[1]
    if len(parts) >= 3 and parts[:2] == ["docs", "labs"]:
        name = parts[2][:-3] if len(parts) == 3 and parts[2].endswith(".md") else parts[2]
        return name
    return None


def check_no_markers(root, rel):
    """Lab material is copied into its lab's handout as it is, so a
    marker there would reach the student unprocessed: refuse it."""
    for i, line in enumerate((read_text(root, rel) or "").splitlines()):
        if LOOKS_LIKE_MARKER.match(line):
            raise HandoutError("%s: a marker in lab material, which handouts copy as it is"
                               % where(rel, i))


def scan(root):
    """Parse the markers of every file that could ship.  Returns (labs,
    {path: Marks}); binary files and instructor-only files are left out."""
    labs = find_labs(root)
    marks = {}
    for rel in tracked_files(root):
        if rel in INSTRUCTOR_ONLY:
            continue
        if lab_material(rel):
            check_no_markers(root, rel)
            continue
        text = read_text(root, rel)
        if text is not None:
            marks[rel] = parse(rel, text, labs)
    return labs, marks


def plan(root, lab, solved=False):
    """{path: bytes or str} of lab's handout tree, or HandoutError.  With
    solved, the tree a student who solved the lab would have: lab's own
    solution stays and its starter files are not added."""
    labs = find_labs(root)
    if lab not in labs:
        raise HandoutError("no lab %r here (labs: %s)" % (lab, ", ".join(labs) or "none"))
    doc = "docs/labs/%s.md" % lab
    if not os.path.isfile(os.path.join(root, doc)):
        raise HandoutError("lab %s has no handout text %s" % (lab, doc))

    def snippet_text(owner, name):
        path = os.path.join(root, "labs", owner, "snippets", name)
        if not os.path.isfile(path):
            raise HandoutError("lab %s has no snippet labs/%s/snippets/%s" % (owner, owner, name))
        with open(path) as f:
            return f.read()

    removed = removed_labs(root, lab) - ({lab} if solved else set())
    tree = {}
    for rel in tracked_files(root):
        if rel in INSTRUCTOR_ONLY:
            continue
        owner = lab_material(rel)
        if owner is not None:
            if owner != lab:
                continue
            parts = rel.split("/")
            if parts[0] == "labs" and len(parts) > 3 and parts[2] in ("snippets", "starter"):
                continue
            # Lab material is copied as it is: it holds no markers.
            check_no_markers(root, rel)
            tree[rel] = read_bytes(root, rel)
            continue
        text = read_text(root, rel)
        if text is None:
            tree[rel] = read_bytes(root, rel)
            continue
        marks = parse(rel, text, labs)
        if marks.solution_lab() in removed:
            continue
        if marks.handout_lab() not in (None, lab):
            continue
        tree[rel] = render(marks, snippet_text, removed)

    starter = os.path.join(root, "labs", lab, "starter")
    for dirpath, _, files in ([] if solved else os.walk(starter)):
        for name in files:
            src = os.path.join(dirpath, name)
            rel = os.path.relpath(src, starter).replace(os.sep, "/")
            if rel in tree:
                raise HandoutError("labs/%s/starter/%s would replace %s, which the "
                                   "handout already has; mark that file `lab %s: solution`"
                                   % (lab, rel, rel, lab))
            tree[rel] = read_bytes(starter, rel)
    tree["conf/lab.mk"] = "LAB=%s\n" % lab
    return tree


def read_bytes(root, rel):
    with open(os.path.join(root, rel), "rb") as f:
        return f.read()


def write_tree(root, tree, dest):
    """Write the planned files under dest, keeping each copied file's
    permission bits (scripts stay executable)."""
    for rel, content in sorted(tree.items()):
        path = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as f:
            f.write(content)
        src = os.path.join(root, rel)
        if os.path.isfile(src):
            shutil.copymode(src, path)


def make_handout(root, lab, dest, solved=False):
    if not lab:
        raise HandoutError("which lab? give LAB=NAME (labs: %s)" % ", ".join(find_labs(root)))
    if not dest:
        raise HandoutError("where to? give DEST=DIR, a new or empty directory")
    if os.path.exists(dest) and not os.path.isdir(dest):
        raise HandoutError("DEST %s exists and is not a directory" % dest)
    if os.path.isdir(dest) and os.listdir(dest):
        raise HandoutError("DEST %s exists and is not empty; give a new directory" % dest)
    destabs, rootabs = os.path.realpath(dest), os.path.realpath(root)
    if destabs == rootabs or destabs.startswith(rootabs + os.sep):
        raise HandoutError("DEST %s is inside the repository; give a directory outside it" % dest)
    tree = plan(root, lab, solved)
    write_tree(root, tree, dest)
    return tree


def main(argv):
    if argv[1:] == ["--check"]:
        labs, marks = scan(ROOT)
        nregions = sum(len(m.regions) for m in marks.values())
        nfiles = sum(1 for m in marks.values() if m.owner)
        print("handout: markers fine: %d regions, %d marked files, labs: %s"
              % (nregions, nfiles, ", ".join(labs)))
        return 0
    solved = argv[1:2] == ["--solved"]
    args = argv[2:] if solved else argv[1:]
    if len(args) != 2:
        print("usage: handout.py [--solved] LAB DEST  |  handout.py --check", file=sys.stderr)
        return 2
    lab, dest = args
    tree = make_handout(ROOT, lab, dest, solved)
    print("handout: lab %s%s written to %s (%d files); its text is docs/labs/%s.md"
          % (lab, " (solved)" if solved else "", dest, len(tree), lab))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except HandoutError as e:
        print("handout: %s" % e, file=sys.stderr)
        sys.exit(1)
