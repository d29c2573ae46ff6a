build-prof/src/core/digest.o: src/core/digest.c src/core/digest.h \
 src/core/error.h
src/core/digest.h:
src/core/error.h:
