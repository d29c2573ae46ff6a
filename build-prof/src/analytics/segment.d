build-prof/src/analytics/segment.o: src/analytics/segment.c \
 src/analytics/segment.h src/core/error.h
src/analytics/segment.h:
src/core/error.h:
