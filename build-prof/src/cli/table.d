build-prof/src/cli/table.o: src/cli/table.c src/cli/table.h \
 src/core/vec.h src/core/utf8.h
src/cli/table.h:
src/core/vec.h:
src/core/utf8.h:
