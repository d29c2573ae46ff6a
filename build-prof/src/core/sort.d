build-prof/src/core/sort.o: src/core/sort.c src/core/sort.h \
 src/core/error.h
src/core/sort.h:
src/core/error.h:
