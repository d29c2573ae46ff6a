build-prof/src/core/csv.o: src/core/csv.c src/core/csv.h src/core/buf.h \
 src/core/error.h
src/core/csv.h:
src/core/buf.h:
src/core/error.h:
