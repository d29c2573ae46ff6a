build-prof/src/gen/gen.o: src/gen/gen.c src/gen/gen.h src/core/error.h \
 src/core/buf.h src/core/csv.h src/core/ebcdic.h src/core/json.h \
 src/core/utf8.h src/core/progress.h src/core/rtime.h src/gen/out.h \
 src/gen/rng.h src/gen/world.h
src/gen/gen.h:
src/core/error.h:
src/core/buf.h:
src/core/csv.h:
src/core/ebcdic.h:
src/core/json.h:
src/core/utf8.h:
src/core/progress.h:
src/core/rtime.h:
src/gen/out.h:
src/gen/rng.h:
src/gen/world.h:
