build-prof/src/etl/convert.o: src/etl/convert.c src/etl/convert.h \
 src/core/error.h src/core/rtime.h src/etl/copybook.h src/core/ebcdic.h
src/etl/convert.h:
src/core/error.h:
src/core/rtime.h:
src/etl/copybook.h:
src/core/ebcdic.h:
