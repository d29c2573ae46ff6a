build-prof/src/store/sqlite.o: src/store/sqlite.c src/store/store.h \
 src/core/error.h src/core/map.h
src/store/store.h:
src/core/error.h:
src/core/map.h:
