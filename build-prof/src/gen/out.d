build-prof/src/gen/out.o: src/gen/out.c src/gen/out.h src/core/error.h
src/gen/out.h:
src/core/error.h:
