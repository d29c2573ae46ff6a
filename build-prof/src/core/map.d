build-prof/src/core/map.o: src/core/map.c src/core/map.h src/core/error.h
src/core/map.h:
src/core/error.h:
