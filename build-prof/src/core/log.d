build-prof/src/core/log.o: src/core/log.c src/core/log.h src/core/error.h \
 src/core/rtime.h
src/core/log.h:
src/core/error.h:
src/core/rtime.h:
