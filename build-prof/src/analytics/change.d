build-prof/src/analytics/change.o: src/analytics/change.c \
 src/analytics/change.h src/core/error.h src/analytics/quality.h \
 src/core/sort.h
src/analytics/change.h:
src/core/error.h:
src/analytics/quality.h:
src/core/sort.h:
