build-prof/src/core/vec.o: src/core/vec.c src/core/vec.h
src/core/vec.h:
