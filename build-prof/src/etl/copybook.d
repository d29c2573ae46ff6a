build-prof/src/etl/copybook.o: src/etl/copybook.c src/etl/copybook.h \
 src/core/error.h src/core/buf.h
src/etl/copybook.h:
src/core/error.h:
src/core/buf.h:
