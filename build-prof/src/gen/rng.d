build-prof/src/gen/rng.o: src/gen/rng.c src/gen/rng.h
src/gen/rng.h:
