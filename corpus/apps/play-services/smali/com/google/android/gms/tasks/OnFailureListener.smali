.class public interface abstract Lcom/google/android/gms/tasks/OnFailureListener;
.super Ljava/lang/Object;
.source "com.google.android.gms:play-services-tasks@@18.0.2"


# virtual methods
.method public abstract onFailure(Ljava/lang/Exception;)V
.end method
