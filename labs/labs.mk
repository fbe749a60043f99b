# Lab assignments: make grade and make handout.  The Makefile includes
# this file.  The lab is LAB=NAME on the command line, or the line
# `LAB=NAME` in conf/lab.mk (a handout tree has it).
#
#   make grade                 grade the lab: MIT's ./grade-lab-$(LAB) if the
#                              tree has it, else our grader, labs/$(LAB)/
#   make grade GRADEFLAGS=X    only the tests whose name contains X (our
#                              grader also takes -v, show the console of
#                              failing tests, and -j N, N tests at a time)
#   make handout LAB=NAME DEST=DIR
#                              write lab NAME's student tree into DIR
#                              (the full repository only)
#   make handout LAB=NAME DEST=DIR SOLVED=1
#                              the same tree as a student who solved the
#                              lab would have it (NAME's solution kept):
#                              the lab's grader must score full there

grade: deps
	@$(MAKE) --no-print-directory run-grade

# MIT's grade scripts boot QEMU themselves through `make qemu-gdb`; as
# MIT's Makefile does, start them from a clean tree, so that the build
# they trigger uses this lab's settings.
run-grade:
	@if [ -z "$(LAB)" ]; then \
	  echo "make grade: which lab? run make grade LAB=NAME, or put LAB=NAME in conf/lab.mk" >&2; \
	  exit 2; \
	fi
	@if [ -f ./grade-lab-$(LAB) ]; then \
	  $(MAKE) --no-print-directory clean || \
	    { echo "make grade: make clean failed; is another QEMU of this tree running?" >&2; exit 1; }; \
	  echo "make grade: running ./grade-lab-$(LAB)"; \
	  $(PYTHON) ./grade-lab-$(LAB) $(GRADEFLAGS); \
	else \
	  $(MAKE) --no-print-directory all && $(PYTHON) labs/grader.py $(LAB) $(GRADEFLAGS); \
	fi

handout:
	@if [ ! -f scripts/handout.py ]; then \
	  echo "make handout: this tree is a lab handout; handouts are made from the full repository" >&2; \
	  exit 1; \
	fi
	@$(PYTHON) scripts/handout.py $(if $(SOLVED),--solved) "$(LAB)" "$(DEST)"

.PHONY: grade run-grade handout
