build-prof/src/store/store.o: src/store/store.c src/store/store.h \
 src/core/error.h src/core/rtime.h
src/store/store.h:
src/core/error.h:
src/core/rtime.h:
