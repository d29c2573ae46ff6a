build-prof/src/core/config.o: src/core/config.c src/core/config.h \
 src/core/error.h src/core/map.h
src/core/config.h:
src/core/error.h:
src/core/map.h:
