build-prof/src/core/json.o: src/core/json.c src/core/json.h \
 src/core/buf.h src/core/error.h
src/core/json.h:
src/core/buf.h:
src/core/error.h:
