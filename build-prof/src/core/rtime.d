build-prof/src/core/rtime.o: src/core/rtime.c src/core/rtime.h \
 src/core/error.h
src/core/rtime.h:
src/core/error.h:
