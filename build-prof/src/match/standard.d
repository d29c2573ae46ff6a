build-prof/src/match/standard.o: src/match/standard.c \
 src/match/standard.h src/core/error.h src/core/map.h src/core/utf8.h \
 src/etl/cleanse.h
src/match/standard.h:
src/core/error.h:
src/core/map.h:
src/core/utf8.h:
src/etl/cleanse.h:
