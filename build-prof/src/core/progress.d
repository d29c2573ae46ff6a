build-prof/src/core/progress.o: src/core/progress.c src/core/progress.h
src/core/progress.h:
