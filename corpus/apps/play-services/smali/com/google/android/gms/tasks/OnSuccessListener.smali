.class public interface abstract Lcom/google/android/gms/tasks/OnSuccessListener;
.super Ljava/lang/Object;
.source "com.google.android.gms:play-services-tasks@@18.0.2"


# virtual methods
.method public abstract onSuccess(Ljava/lang/Object;)V
.end method
